/**
 * Reads a value by JSON Pointer (RFC 6901): `/author/login`, `/labels/0/name`, `` (the whole
 * document). `~1` stands for `/` and `~0` for `~` inside a segment. Missing paths give undefined.
 */
export function readPointer(document: unknown, pointer: string): unknown {
  return compilePointer(pointer)(document);
}

/** Parses a pointer once into a reader function (for pointers applied to many documents). */
export function compilePointer(pointer: string): (document: unknown) => unknown {
  if (pointer === '') return (document) => document;
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  const segments = pointer
    .slice(1)
    .split('/')
    .map((raw) => (raw.includes('~') ? raw.replaceAll('~1', '/').replaceAll('~0', '~') : raw));
  if (segments.length === 1) {
    const [only] = segments as [string];
    return (document) =>
      document !== null && typeof document === 'object' ? (document as Record<string, unknown>)[only] : undefined;
  }
  return (document) => {
    let current: unknown = document;
    for (const segment of segments) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    return current;
  };
}
