import { readFile, stat } from 'node:fs/promises';
import { LakeError } from '../errors/lake-error.js';
import { jsonSyntaxErrorLocation } from './json-syntax-error.js';

/**
 * Reads the context JSON from a file or from stdin (`-`). Never from argv: command lines end
 * up in shell history and process listings, and contexts carry secrets.
 */
export async function readContext(source: string | undefined, stdin: NodeJS.ReadableStream): Promise<unknown> {
  if (source === undefined) {
    throw new LakeError(
      'USAGE',
      '--context <file|-> is required (the context is read from a file or stdin, never from argv)',
    );
  }
  let text: string;
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    if (source.trimStart().startsWith('{')) {
      throw new LakeError(
        'USAGE',
        '--context takes a file path or - for stdin, not inline JSON (it would leak secrets into argv)',
      );
    }
    const info = await stat(source).catch(() => undefined);
    if (!info?.isFile()) throw new LakeError('USAGE', `context file ${source} does not exist`);
    text = await readFile(source, 'utf8');
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, and the text holds secrets.
    const location = jsonSyntaxErrorLocation(text);
    const where = location ? ` at line ${location.line}, column ${location.column}` : '';
    throw new LakeError('CONTEXT_INVALID', `context is not valid JSON (syntax error${where})`);
  }
}
