/**
 * The commands docs/authoring.md tells an author to run, exactly as the end-to-end test runs
 * them (in a copy of the workspace, against a temporary registry and runtime). The guide's
 * test checks that every command block of the guide is made of these lines, and the
 * end-to-end test runs them: the guide cannot promise a step nobody ran.
 */
export const GUIDE_STEPS = {
  scaffold: 'pnpm create-connector acme --template http',
  test: 'pnpm --filter @lake/connector-acme test',
  build: 'pnpm --filter @lake/connector-acme build',
  registryCheck: 'pnpm registry:check',
  testConnection: 'node connectors/acme/dist/cli.js test-connection --context context.json',
  sync: 'node connectors/acme/dist/cli.js sync --context context.json --db sqlite:.lake/acme.db',
  install: 'lake add acme@^0.1.0',
  runtimeSync: 'lake sync acme-core',
  status: 'lake status --connection acme-core',
} as const;

/** Steps the guide shows that the test cannot run as written (they need a terminal, a debugger or a real release). */
export const GUIDE_STEPS_NOT_RUN = [
  'node --inspect-brk connectors/acme/dist/cli.js sync --context context.json --db sqlite:.lake/acme.db',
  'pnpm changeset',
  'pnpm changeset version',
  'pnpm release',
  'LAKE_DEBUG=1 lake sync acme-core',
] as const;
