/**
 * Jenkins' `tree=` query (the remote access API's field selection): `a,b[c,d[e]]{0,10}`. A
 * field may select sub-fields (`[…]`) and, on an array, a range of its elements (`{M,N}` from
 * M to N exclusive, `{M,}`, `{,N}`, or `{N}` for the N-th alone).
 */
export interface TreeField {
  name: string;
  children: TreeField[] | undefined;
  range: { from: number; to: number | undefined } | undefined;
}

export class TreeSyntaxError extends Error {}

export function parseTree(text: string): TreeField[] {
  let position = 0;
  const fail = (what: string): never => {
    throw new TreeSyntaxError(`${what} at position ${position} of tree=${text}`);
  };
  const fields = (): TreeField[] => {
    const list: TreeField[] = [field()];
    while (text[position] === ',') {
      position += 1;
      list.push(field());
    }
    return list;
  };
  const field = (): TreeField => {
    const name = /^[A-Za-z0-9_$]+/.exec(text.slice(position))?.[0] ?? fail('a field name expected');
    position += name.length;
    let children: TreeField[] | undefined;
    if (text[position] === '[') {
      position += 1;
      children = fields();
      if (text[position] !== ']') fail('"]" expected');
      position += 1;
    }
    return { name, children, range: text[position] === '{' ? range() : undefined };
  };
  const range = (): TreeField['range'] => {
    const end = text.indexOf('}', position);
    if (end < 0) fail('"}" expected');
    const body = text.slice(position + 1, end);
    position = end + 1;
    const match = /^(\d*)(,(\d*))?$/.exec(body) ?? fail(`a range {M,N} expected, not {${body}}`);
    const from = match[1] ? Number(match[1]) : 0;
    if (match[2] === undefined) return { from, to: from + 1 };
    return { from, to: match[3] ? Number(match[3]) : undefined };
  };
  const parsed = fields();
  if (position !== text.length) fail('unexpected text');
  return parsed;
}

/** Keeps only the selected fields (and `_class`, which Jenkins always names), ranges applied to arrays. */
export function selectTree(value: unknown, fields: readonly TreeField[] | undefined): unknown {
  if (Array.isArray(value)) return value.map((element) => selectTree(element, fields));
  // An object whose fields were not selected is only its class, as Jenkins serves it.
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const selected: Record<string, unknown> = {};
  if ('_class' in source) selected._class = source._class;
  for (const field of fields ?? []) {
    if (!(field.name in source)) continue;
    selected[field.name] = selectTree(rangeOf(source[field.name], field.range), field.children);
  }
  return selected;
}

export function rangeOf<T>(value: T, range: TreeField['range']): T {
  if (!range || !Array.isArray(value)) return value;
  return value.slice(range.from, range.to) as T;
}
