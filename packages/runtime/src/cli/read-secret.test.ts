import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecretValue, type TerminalInput } from './read-secret.js';

function terminal(keystrokes: string[]) {
  const input = new PassThrough() as PassThrough & TerminalInput;
  const modes: boolean[] = [];
  input.isTTY = true;
  input.setRawMode = (mode: boolean) => modes.push(mode);
  let shown = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      shown += chunk.toString();
      callback();
    },
  });
  // Typed one key at a time, after the prompt.
  setImmediate(() => {
    for (const keys of keystrokes) input.write(keys);
  });
  return { input, output, modes, shown: () => shown };
}

describe('reading a secret', () => {
  it('on a terminal: raw mode, nothing echoed, Backspace and Ctrl-U edit, Enter ends', async () => {
    const { input, output, modes, shown } = terminal(['s', 'e', 'c', 'x', '\u007f', 'r', 'e', 't', '\r']);
    expect(await readSecretValue(input, output, 'value: ')).toBe('secret');
    expect(modes).toEqual([true, false]);
    expect(shown()).toBe('value: \n');

    const erased = terminal(['wrong', '\u0015', 'right', '\n']);
    expect(await readSecretValue(erased.input, erased.output, '')).toBe('right');
  });

  it('on a terminal: Ctrl-C stores nothing (exit 130), and the terminal is restored', async () => {
    const { input, output, modes } = terminal(['half', '\u0003']);
    await expect(readSecretValue(input, output, '')).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(modes).toEqual([true, false]);
  });

  it('from a pipe or a file: the whole input, one trailing newline removed', async () => {
    const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    expect(await readSecretValue(Readable.from(['line one\n', 'line two\n']), sink, 'ignored')).toBe(
      'line one\nline two',
    );
    expect(await readSecretValue(Readable.from(['token-value\r\n']), sink, '')).toBe('token-value');
  });
});
