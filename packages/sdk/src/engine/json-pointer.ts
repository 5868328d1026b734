/**
 * Reads a value by JSON Pointer (RFC 6901): `/author/login`, `/labels/0/name`, `` (the whole
 * document). `~1` stands for `/` and `~0` for `~` inside a segment. Missing paths give undefined.
 */
export function readPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    const segment = raw.includes('~') ? raw.replaceAll('~1', '/').replaceAll('~0', '~') : raw;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
