/**
 * One spinner: keeps one core busy until it is stopped. A busy loop never returns to the event
 * loop, so it cannot hear an IPC channel close; it looks at its parent itself instead, and exits
 * once the stress tool that started it is gone (killed with SIGKILL, say), so that no spinner
 * outlives its run on a shared machine. The parent passes its pid as the argument: `process.ppid`
 * is read once, and would already be 1 if the parent died while this process was booting.
 */
const PARENT_CHECK_INTERVAL_MS = 100;

const parent = Number(process.argv[2]);

function parentIsGone(): boolean {
  try {
    process.kill(parent, 0);
    return false;
  } catch {
    // EPERM: the pid exists but belongs to someone else, which cannot be our parent any more.
    return true;
  }
}

let checkAt = Date.now() + PARENT_CHECK_INTERVAL_MS;
let work = 0;
for (;;) {
  work = (work * 31 + 7) % 1_000_003;
  const now = Date.now();
  if (now >= checkAt) {
    if (parentIsGone()) process.exit(0);
    checkAt = now + PARENT_CHECK_INTERVAL_MS;
  }
}
