/** What `routeWritesThrough` needs of a stream: its `write`, which it replaces. */
export interface WritableOutput {
  write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean;
}

type WriteCallback = (error?: Error | null) => void;

/**
 * Replaces `stream.write` so that everything written to it — by the CLI, by connector code
 * through `console.log` / `console.error` (the global console writes through
 * `process.stdout.write` / `process.stderr.write`) or by `process.stdout.write` directly —
 * passes through `redact` first. Text is redacted a line at a time, so that a secret written
 * in pieces (`write(token.slice(0, 4)); write(token.slice(4))`) is still whole when it is
 * looked for; a line left without its newline goes out on the next turn of the event loop
 * (progress lines on a terminal end with `\r`, not `\n`).
 */
export function routeWritesThrough(stream: WritableOutput, redact: (text: string) => string): void {
  const write = stream.write.bind(stream) as (chunk: string, callback?: WriteCallback) => boolean;
  let pending = '';
  let waiting: WriteCallback[] = [];
  let scheduled = false;
  const takeWaiting = (): WriteCallback | undefined => {
    if (waiting.length === 0) return undefined;
    const callbacks = waiting;
    waiting = [];
    return (error) => {
      for (const callback of callbacks) callback(error);
    };
  };
  const flush = () => {
    scheduled = false;
    const text = pending;
    pending = '';
    const callback = takeWaiting();
    if (text !== '' || callback) write(redact(text), callback);
  };
  stream.write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const done = (typeof encoding === 'function' ? encoding : callback) as WriteCallback | undefined;
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (typeof done === 'function') waiting.push(done);
    const end = pending.lastIndexOf('\n') + 1;
    if (end > 0) {
      const complete = pending.slice(0, end);
      pending = pending.slice(end);
      // Callbacks wait for their whole chunk: when part of it is still pending, for the flush.
      const written = write(redact(complete), pending === '' ? takeWaiting() : undefined);
      if (pending !== '' && !scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return written;
    }
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return true;
  };
}
