/**
 * Node flags for processes that run syncs. Flags of this kind only take effect at process
 * start, so whoever launches a connector passes them (a connector's `bin` carries them in its
 * shebang: `#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=100`).
 *
 * - `--max-semi-space-size=16`: V8 grows the young generation to ~130 MB under a sync's
 *   allocation pattern (many short-lived rows); 16 MB semi-spaces cut peak RSS by ~70 MB at
 *   1,000,000 records and are no slower.
 * - `--heap-growing-percent=100`: a sync keeps ~25 MB alive, but batches and pages in flight
 *   survive a scavenge or two, and V8 then lets the old generation grow to 4× the live set
 *   (~90 MB committed, never given back) before it collects. Growing by 2× instead keeps the
 *   GitHub connector's peak at 20,000 issues at ~200 MB instead of ~250 MB, for a few more
 *   full collections of a small heap (no measurable cost in `pnpm bench`).
 */
export const SYNC_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--heap-growing-percent=100'];
