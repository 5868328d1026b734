import { gunzipSync } from 'node:zlib';
import { RuntimeError } from '../errors.js';

/**
 * One entry of a tar archive, read in memory. Package tarballs are a few megabytes at most
 * and already in memory (their sha512 was checked against the lock), so reading them here,
 * synchronously, costs a gunzip and a walk over 512-byte headers; node-tar's streams spent
 * most of an install waiting on the thread pool instead.
 */
export interface TarEntry {
  /** As archived, `/`-separated (pax and GNU long names applied). */
  path: string;
  /** `file` for regular files (ustar `0`, the old `\0` and contiguous `7`); everything else is `other`. */
  type: 'file' | 'other';
  mode: number;
  data: Buffer;
}

const BLOCK = 512;

/** The entries of a gzipped (or plain) tar archive, in archive order. */
export function readTarEntries(archive: Buffer): TarEntry[] {
  const bytes = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const entries: TarEntry[] = [];
  let offset = 0;
  let globalPax: Record<string, string> = {};
  let nextPax: Record<string, string> = {};
  let longName: string | undefined;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    checkChecksum(header, offset);
    const flag = String.fromCharCode(header[156] ?? 0);
    const pax = { ...globalPax, ...nextPax };
    const size = pax.size !== undefined ? Number(pax.size) : numberField(header, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0) throw damaged(`an entry at byte ${offset} has no valid size`);
    const dataStart = offset + BLOCK;
    if (dataStart + size > bytes.length) throw damaged(`an entry at byte ${offset} runs past the end of the archive`);
    const data = bytes.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x') {
      nextPax = parsePax(data);
      continue;
    }
    if (flag === 'g') {
      globalPax = { ...globalPax, ...parsePax(data) };
      continue;
    }
    if (flag === 'L') {
      longName = text(data, 0, data.length);
      continue;
    }
    if (flag === 'K') continue;
    let path = pax.path ?? longName;
    if (path === undefined) {
      path = text(header, 0, 100);
      const ustar = header.subarray(257, 263).toString('latin1') === 'ustar\0';
      const prefix = ustar ? text(header, 345, 155) : '';
      if (prefix) path = `${prefix}/${path}`;
    }
    nextPax = {};
    longName = undefined;
    const type = flag === '0' || flag === '\0' || flag === '7' ? 'file' : 'other';
    entries.push({ path, type, mode: numberField(header, 100, 8), data });
  }
  return entries;
}

function checkChecksum(header: Buffer, offset: number): void {
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) {
    sum += index >= 148 && index < 156 ? 32 : (header[index] as number);
  }
  if (sum !== numberField(header, 148, 8)) throw damaged(`the header at byte ${offset} fails its checksum`);
}

/** An octal field, or a base-256 one (high bit set) for values octal cannot hold. */
function numberField(header: Buffer, start: number, length: number): number {
  const first = header[start] as number;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let index = start + 1; index < start + length; index += 1) value = value * 256 + (header[index] as number);
    return value;
  }
  const digits = text(header, start, length).trim();
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

function text(buffer: Buffer, start: number, length: number): string {
  const end = buffer.indexOf(0, start);
  return buffer.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** `<length> <key>=<value>\n` records. */
function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space === -1) break;
    const length = Number(data.toString('latin1', position, space));
    if (!Number.isSafeInteger(length) || length <= 0) break;
    const record = data.toString('utf8', space + 1, position + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    position += length;
  }
  return records;
}

function damaged(detail: string): RuntimeError {
  return new RuntimeError('INSTALL_FAILED', `a package tarball is damaged: ${detail}`);
}
