/**
 * The last value parsed from each file's text, in this process. A long-running `lake worker`
 * reads lake.yaml and lake.lock again for every job (an edit between jobs is seen), and
 * parsing them (YAML, then the schema) cost more CPU than a small job's own work. The same
 * text gives the same value without parsing; any change parses again. Callers get a copy,
 * so none can change what the next one reads. A parse that throws leaves nothing behind.
 */
const memo = new Map<string, { text: string; value: unknown }>();

export function parseMemoized<T>(file: string, text: string, parse: (text: string) => T): T {
  const last = memo.get(file);
  if (last && last.text === text) return structuredClone(last.value) as T;
  const value = parse(text);
  memo.set(file, { text, value: structuredClone(value) });
  return value;
}
