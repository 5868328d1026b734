import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { type StoreLinking, storeEntryPath } from './package-store.js';

/** Link errors that mean "no hard links here", not "something is wrong". */
const NO_LINKS = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK']);

/**
 * Lays files out in a connector directory straight from the store: each file's bytes go into
 * the store once (read-only, named by sha256) and the directory gets a hard link to the entry.
 * Synchronous on purpose: a connector is ~3,000 small files, and through the thread pool each
 * would wait for its turn several times (open, write, close, link), most of an install's time.
 *
 * An entry the store already holds is trusted by its size, or re-read and compared when
 * `verifyExisting` (repairs, `--force`); a damaged one is unlinked and written afresh, never
 * written through, since other directories may link to it. Whatever is linked, the caller
 * hashes the directory afterwards and compares it with lake.lock's digest.
 */
export class StoreWriter {
  readonly store: string;
  readonly verifyExisting: boolean;
  readonly counts: StoreLinking = { stored: 0, linked: 0, copied: 0, replaced: 0 };
  #linksWork = true;
  readonly #folders = new Set<string>();

  constructor(store: string, options: { verifyExisting?: boolean } = {}) {
    this.store = store;
    this.verifyExisting = options.verifyExisting === true;
  }

  /** Makes sure the store holds `data` under `hash` and links (or, without hard links, copies) it to `target`. */
  place(target: string, hash: string, executable: boolean, data: Buffer): void {
    this.folder(dirname(target));
    if (!this.#linksWork) {
      this.copy(target, executable, data);
      return;
    }
    const entry = storeEntryPath(this.store, hash, executable);
    const isNew = this.put(entry, executable, data);
    try {
      linkSync(entry, target);
    } catch (error) {
      if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      // No hard links here: every connector keeps its own copy, as before the store.
      this.#linksWork = false;
      this.copy(target, executable, data);
      return;
    }
    if (!isNew) this.counts.linked += 1;
  }

  /**
   * Links the entry the store holds for `hash` to `target`, without its bytes at hand (a package
   * listed in the store index). False, and nothing linked, if the store has no such entry of
   * that size: the caller unpacks the package instead.
   */
  linkStored(target: string, hash: string, executable: boolean, size: number): boolean {
    if (!this.#linksWork || this.verifyExisting) return false;
    const entry = storeEntryPath(this.store, hash, executable);
    const info = statSync(entry, { throwIfNoEntry: false });
    if (!info?.isFile() || info.size !== size) return false;
    this.folder(dirname(target));
    try {
      linkSync(entry, target);
    } catch (error) {
      if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      this.#linksWork = false;
      return false;
    }
    this.counts.linked += 1;
    return true;
  }

  /** Whether `target`'s folders were made (shared with `place`, so each is made once). */
  folder(path: string): void {
    if (this.#folders.has(path)) return;
    mkdirSync(path, { recursive: true });
    this.#folders.add(path);
  }

  /** True if the entry was written now. */
  private put(entry: string, executable: boolean, data: Buffer): boolean {
    this.folder(dirname(entry));
    if (this.create(entry, executable, data)) return true;
    const existing = statSync(entry);
    const sound =
      existing.isFile() && existing.size === data.length && (!this.verifyExisting || readFileSync(entry).equals(data));
    if (sound) return false;
    // Damaged (changed through some connector's link): replaced by these checked bytes, never
    // written through. (An entry cut short by a killed install has the wrong size, so it is too.)
    unlinkSync(entry);
    this.counts.replaced += 1;
    if (!this.create(entry, executable, data)) throw new Error(`${entry} reappeared while it was being replaced`);
    return true;
  }

  /** Writes a new entry; false if the store already has one of that name. */
  private create(entry: string, executable: boolean, data: Buffer): boolean {
    let descriptor: number;
    try {
      descriptor = openSync(entry, 'wx', executable ? 0o555 : 0o444);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      for (let written = 0; written < data.length; ) written += writeSync(descriptor, data, written);
    } finally {
      closeSync(descriptor);
    }
    this.counts.stored += 1;
    return true;
  }

  private copy(target: string, executable: boolean, data: Buffer): void {
    writeFileSync(target, data, { mode: executable ? 0o755 : 0o644 });
    this.counts.copied += 1;
  }
}
