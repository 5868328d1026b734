interface AdfNode {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
}

const BLOCKS = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'listItem',
  'bulletList',
  'orderedList',
  'panel',
  'rule',
  'table',
  'tableRow',
]);

/**
 * Plain text of a Jira rich-text value: REST v2 sends a string (wiki markup, kept as is), v3 an
 * Atlassian Document Format tree whose text nodes, mentions, emoji and line breaks are read in
 * order, one line per block.
 */
export function richText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  return textOf(value as AdfNode).trim();
}

function textOf(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      return String(node.attrs?.text ?? '');
    case 'emoji':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    case 'inlineCard':
      return String(node.attrs?.url ?? '');
    default: {
      const inner = (node.content ?? []).map(textOf).join('');
      return node.type !== undefined && BLOCKS.has(node.type) && !inner.endsWith('\n') ? `${inner}\n` : inner;
    }
  }
}
