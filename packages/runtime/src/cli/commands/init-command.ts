import { access } from 'node:fs/promises';
import { RuntimeError } from '../../errors.js';
import { writeFileAtomic } from '../../project/atomic-write.js';
import { type CommandHandler, print } from '../command-context.js';

export const STARTER_MANIFEST = `# lake.yaml: what this Lake runs. \`lake install\` resolves it into lake.lock.
#
# connectors: name -> "shipped" (the version this runtime ships; moves with \`lake upgrade\`),
#   a version or range ("0.2.1", "^0.2.0"; a user pin, kept across upgrades),
#   { path: ../my-connector } or { tarball: ./my-connector-1.0.0.tgz } for your own.
connectors:
  git: shipped

# database: sqlite:<file> (default sqlite:.lake/lake.db), postgres://… or mysql://…
# database: postgres://lake:\${LAKE_DB_PASSWORD}@127.0.0.1:5432/lake

# registry: where @lake/* packages come from (default $LAKE_REGISTRY_URL or http://127.0.0.1:4873/)
# registry:
#   url: https://npm.lake.internal/
#   token: \${LAKE_REGISTRY_TOKEN}

connections:
  - name: this-repository
    connector: git
    id: 1
    scopes:
      - id: this-repository
        scope: { path: . }

# Secrets are references, never values: \${ENV_VAR}, or \${secret:name} (\`lake secret set name\`).
# \`lake info github\` shows a connector's settings; \`lake check\` checks them against it.
#  - name: github
#    connector: github
#    id: 1
#    settings: { tokens: ["\${GITHUB_TOKEN}"] }
#    scopes:
#      - scope: { fullName: my-org/my-repo }

schedules:
  - name: hourly
    cron: "0 * * * *"
`;

export const initCommand: CommandHandler = async (context) => {
  const exists = await access(context.paths.manifest).then(
    () => true,
    () => false,
  );
  if (exists && !context.options.force) {
    throw new RuntimeError('USAGE', `${context.paths.manifest} already exists (--force replaces it)`);
  }
  await writeFileAtomic(context.paths.manifest, STARTER_MANIFEST);
  print(context, `wrote ${context.paths.manifest}; next: lake install`);
  return 0;
};
