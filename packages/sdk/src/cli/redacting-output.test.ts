import { describe, expect, it } from 'vitest';
import { routeWritesThrough, type WritableOutput } from './redacting-output.js';

function fakeStream() {
  const written: string[] = [];
  const stream: WritableOutput = {
    write(chunk: unknown, callback?: unknown) {
      written.push(String(chunk));
      if (typeof callback === 'function') setImmediate(callback as () => void);
      return true;
    },
  };
  return { stream, written };
}

describe('routing writes through a redactor', () => {
  const redact = (text: string) => text.replaceAll('s3cr3t-token', '[redacted]');

  it('redacts line by line, so a secret written in pieces is still caught', async () => {
    const { stream, written } = fakeStream();
    routeWritesThrough(stream, redact);
    stream.write('one s3cr3t-token\ntwo s3cr');
    stream.write(Buffer.from('3t-token three\n'));
    stream.write('progress s3cr3t-token\r');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.join('')).toBe('one [redacted]\ntwo [redacted] three\nprogress [redacted]\r');
  });

  it('calls each write callback once its whole chunk is out', async () => {
    const { stream, written } = fakeStream();
    routeWritesThrough(stream, redact);
    const done: string[] = [];
    stream.write('partial', () => done.push('partial'));
    stream.write(' line\n', 'utf8', () => done.push('line'));
    stream.write('tail', () => done.push('tail'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toEqual(['partial', 'line', 'tail']);
    expect(written.join('')).toBe('partial line\ntail');
  });
});
