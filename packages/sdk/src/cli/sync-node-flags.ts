/**
 * Node flags for processes that run syncs. V8 grows the young generation to ~130 MB under a
 * sync's allocation pattern (many short-lived rows); capping it at 16 MB semi-spaces cuts
 * peak RSS by ~70 MB at 1,000,000 records and is no slower. Flags of this kind only take
 * effect at process start, so whoever launches a connector passes them (a connector's `bin`
 * carries them in its shebang: `#!/usr/bin/env -S node --max-semi-space-size=16`).
 */
export const SYNC_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
