import { RuntimeError } from '../errors.js';

/** A terminal's stdin: what raw mode needs. */
export interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

const ENTER = new Set(['\r', '\n']);
const INTERRUPT = '\u0003';
const END_OF_INPUT = '\u0004';
const ERASE = new Set(['\u007f', '\b']);
const ERASE_LINE = '\u0015';

/**
 * A secret's value: from a terminal, typed without echo (raw mode: the terminal shows nothing,
 * not even stars, and Backspace, Ctrl-U and Ctrl-C work); from a pipe or a file, the whole
 * input with one trailing newline removed (`lake secret set token < token.txt`).
 */
export async function readSecretValue(
  stdin: TerminalInput,
  stderr: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return readAll(stdin);
  stderr.write(prompt);
  stdin.setRawMode(true);
  try {
    return await readTyped(stdin);
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stderr.write('\n');
  }
}

function readTyped(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (error) reject(error);
      else resolve(value);
    };
    const onEnd = () => finish();
    const onData = (chunk: Buffer | string) => {
      for (const character of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ENTER.has(character)) return finish();
        if (character === INTERRUPT) return finish(new RuntimeError('INTERRUPTED', 'interrupted; nothing stored'));
        if (character === END_OF_INPUT) {
          if (value === '') return finish();
          continue;
        }
        if (ERASE.has(character)) value = Array.from(value).slice(0, -1).join('');
        else if (character === ERASE_LINE) value = '';
        else if (character >= ' ') value += character;
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
