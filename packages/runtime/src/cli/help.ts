/** The command list and help text: no imports, so `lake --help` loads nothing else. */

export const COMMANDS = {
  init: { usage: 'init [--force]', summary: 'write a starter lake.yaml in the project directory' },
  install: {
    usage: 'install [--frozen] [--force] [--offline | --prefer-offline]',
    summary:
      'install the connectors and metrics of lake.yaml, repairing changed files; --frozen installs exactly lake.lock, --force reinstalls all',
  },
  add: {
    usage: 'add <connector>[@range] [--path <dir> | --tarball <file>] [--allow-downgrade] [--offline]',
    summary: 'add (or re-pin) a connector and install it',
  },
  remove: { usage: 'remove <connector>', summary: 'remove a connector no connection uses' },
  upgrade: {
    usage: 'upgrade [<connector> | metric.<metric>...] [--offline]',
    summary: "move connectors and metrics to this runtime's shipped versions (user pins stay); named ones re-resolve",
  },
  outdated: { usage: 'outdated', summary: 'locked versions against shipped and published ones; warns on stale pins' },
  list: { usage: 'list', summary: 'installed connectors and metrics: name, kind, version, source, pinned by' },
  search: {
    usage: 'search [<word>...]',
    summary: 'connectors in the published integration registry (@lake/registry), installed or not',
  },
  info: {
    usage: 'info <connector>',
    summary: "a connector's streams and settings schemas (from the registry when it is not installed)",
  },
  doctor: {
    usage: 'doctor',
    summary: 'check Node, lake.yaml, lake.lock, installed files, database, registry, key file',
  },
  verify: { usage: 'verify', summary: "re-check every installed file against lake.lock's digest of what it installed" },
  check: {
    usage: 'check',
    summary: "check every connection's settings and scopes against its installed connector's schemas",
  },
  'test-connection': {
    usage: 'test-connection <connection>',
    summary: "ask a connection's connector whether its settings reach the source",
  },
  sync: {
    usage: 'sync [<connection>] [--scope <id>]... [--full]',
    summary:
      "sync every (or the named) connection, scopes in parallel; then the synced projects' metrics; with `queue:`, enqueue one job per scope",
  },
  metrics: {
    usage: 'metrics [<project>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--bands 2023|2021]',
    summary: "report a project's (or every project's) metrics from the database (each metric's `report`)",
  },
  status: {
    usage: 'status [--limit <n>] [--connection <name>] [--read-only]',
    summary: 'recent runs from _lake_runs; with `queue:`, queued, running and failed jobs and the workers holding them',
  },
  schedule: {
    usage: 'schedule',
    summary:
      "run lake.yaml's cron schedules in the foreground; with `queue:`, register them once for the whole cluster",
  },
  worker: {
    usage: 'worker [--concurrency <n>]',
    summary:
      "run queued syncs (lake.yaml `queue:`) with the connectors installed here, n at once (default 2), then the synced projects' metrics, until SIGTERM",
  },
  secret: {
    usage: 'secret set <name> | secret list | secret remove <name>',
    summary: `encrypted secrets for \${secret:<name>} references (set asks for the value without echo, or reads stdin)`,
  },
  webhook: {
    usage: 'webhook serve [--port <n>] [--host <address>] [--connection <name>]... [--max-body-bytes <n>]',
    summary: "receive deployments and incidents for lake.yaml's webhook connections until Ctrl-C",
  },
  ui: {
    usage: 'ui [--port <n>] [--host <address>] [--token <token>]',
    summary:
      'serve the console (connectors, runs, DORA) on http://127.0.0.1:4321 until Ctrl-C; read-only; another host needs a token (--token or LAKE_UI_TOKEN)',
  },
} as const;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function helpText(installed: Array<{ name: string; version: string }>): string {
  const width = Math.max(...COMMAND_NAMES.map((name) => name.length));
  const lines = [
    'Usage: lake <command> [options]',
    '',
    'Commands:',
    ...COMMAND_NAMES.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name].summary}`),
    '',
    'Options:',
    '  -C, --project <dir>  the project (the directory holding lake.yaml; default: $LAKE_PROJECT or .)',
    '  --json               machine-readable output',
    '  -h, --help           help (lake <command> --help for a command)',
    '  -v, --version        the runtime version',
    '  --offline            (install, add, upgrade, outdated, search, info) use only the npm cache, never the network',
    '  --prefer-offline     (same commands) registry metadata from the cache when it has it',
    '',
  ];
  if (installed.length === 0) {
    lines.push('Installed connectors: none (lake install)');
  } else {
    lines.push(`Installed connectors (${installed.length}):`);
    const nameWidth = Math.max(...installed.map((entry) => entry.name.length));
    for (const entry of installed) lines.push(`  ${entry.name.padEnd(nameWidth)}  ${entry.version}`);
  }
  return lines.join('\n');
}

export function commandHelp(name: CommandName): string {
  return `Usage: lake ${COMMANDS[name].usage}\n\n${COMMANDS[name].summary}`;
}
