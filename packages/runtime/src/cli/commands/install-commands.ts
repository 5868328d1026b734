import { readFile } from 'node:fs/promises';
import { formatTable } from '@lake/sdk/host';
import { parse } from 'yaml';
import { RuntimeError } from '../../errors.js';
import { type InstallOptions, type InstallOutcome, installProject } from '../../install/installer.js';
import { packageLabel } from '../../install/package-kind.js';
import { withConnectorRequest } from '../../manifest/edit-manifest.js';
import { loadManifest, parseManifest } from '../../manifest/load-manifest.js';
import { CONNECTOR_NAME, type ConnectorRequest } from '../../manifest/manifest-schema.js';
import { currentRelease } from '../../project/runtime-release.js';
import {
  type ConnectionSettings,
  checkProjectSettings,
  describeSettingsIssues,
  settingsIssueCount,
} from '../../settings/project-settings.js';
import { type CommandContext, type CommandHandler, note, print, printJson } from '../command-context.js';

/**
 * Prints what an install did, then checks lake.yaml's connections against the connectors now
 * installed: the install stands, and exit code 2 names each setting that does not fit.
 */
async function report(context: CommandContext, outcome: InstallOutcome): Promise<number> {
  const settings = await installedSettings(context);
  const issues = settingsIssueCount(settings);
  if (context.json) {
    printJson(context, {
      changes: outcome.changes,
      warnings: outcome.warnings,
      runtime: outcome.lock.runtime,
      settings: settings.filter((result) => result.issues.length > 0),
    });
    return issues > 0 ? 2 : 0;
  }
  for (const warning of outcome.warnings) note(context, `warning: ${warning}`);
  const rows = outcome.changes.map((change) => [
    packageLabel(change),
    change.action,
    change.from !== undefined && change.to !== undefined && change.from !== change.to
      ? `${change.from} → ${change.to}`
      : (change.to ?? change.from ?? ''),
    change.source,
  ]);
  print(
    context,
    rows.length === 0 ? 'no connectors in lake.yaml' : formatTable(['package', 'change', 'version', 'source'], rows),
  );
  for (const change of outcome.changes.filter((candidate) => candidate.detail)) {
    note(context, `${packageLabel(change)} ${change.action}: ${change.detail}`);
  }
  if (issues > 0) {
    note(
      context,
      `\nInstalled, but lake.yaml's settings do not fit the connectors (\`lake check\` repeats this):\n${describeSettingsIssues(
        settings,
      )
        .map((line) => `  ${line}`)
        .join('\n')}`,
    );
    return 2;
  }
  return 0;
}

/** lake.yaml's connectors as written, whether or not the file is valid yet. */
function parseLeniently(text: string): { connectors?: Record<string, unknown> } | undefined {
  try {
    return (parse(text) as { connectors?: Record<string, unknown> } | null) ?? undefined;
  } catch {
    return undefined;
  }
}

async function installedSettings(context: CommandContext): Promise<ConnectionSettings[]> {
  const manifest = await loadManifest(context.paths);
  return checkProjectSettings(context.paths, manifest, { environment: context.environment });
}

function installOptions(context: CommandContext, extra: InstallOptions = {}): InstallOptions {
  return {
    environment: context.environment,
    onProgress: (message) => {
      if (!context.json) note(context, message);
    },
    ...extra,
  };
}

/** `git`, `git@^0.2.0`, `git@shipped`. */
function parseConnectorArgument(argument: string | undefined): { name: string; range: string | undefined } {
  if (!argument) throw new RuntimeError('USAGE', 'name a connector: lake add <connector>[@range]');
  const at = argument.indexOf('@');
  const name = at === -1 ? argument : argument.slice(0, at);
  const range = at === -1 ? undefined : argument.slice(at + 1);
  if (!CONNECTOR_NAME.test(name)) {
    throw new RuntimeError(
      'USAGE',
      `"${name}" is not a connector name (lower case letters, digits, - or _, e.g. github)`,
    );
  }
  return { name, range: range === '' ? undefined : range };
}

const install: CommandHandler = async (context) => {
  if (context.positionals.length > 0) {
    throw new RuntimeError('USAGE', 'lake install takes no connector names (use lake add <connector>)');
  }
  return report(
    context,
    await installProject(
      context.paths,
      installOptions(context, { frozen: Boolean(context.options.frozen), force: Boolean(context.options.force) }),
    ),
  );
};

const add: CommandHandler = async (context) => {
  const { name, range } = parseConnectorArgument(context.positionals[0]);
  const path = context.options.path as string | undefined;
  const tarball = context.options.tarball as string | undefined;
  if ([range, path, tarball].filter((value) => value !== undefined).length > 1) {
    throw new RuntimeError('USAGE', 'give one of @range, --path and --tarball');
  }
  // lake.yaml as it is may be invalid *because* the connector is missing (a connection uses
  // it): the edit is what is validated, so `lake add` is how that is fixed.
  const original = await readFile(context.paths.manifest, 'utf8').catch(() => undefined);
  if (original === undefined) await loadManifest(context.paths);
  const before = parseLeniently(original ?? '');
  const release = await currentRelease();
  let request: ConnectorRequest;
  if (path !== undefined) request = { path };
  else if (tarball !== undefined) request = { tarball };
  else {
    const wanted = range ?? (release.shipped[name] ? 'shipped' : '*');
    request = context.options['allow-downgrade'] ? { version: wanted, allowDowngrade: true } : wanted;
  }
  const text = await withConnectorRequest(context.paths, name, request);
  parseManifest(text, context.paths.manifest);
  const outcome = await installProject(
    context.paths,
    installOptions(context, { manifestText: text, update: [name], release }),
  );
  if (!context.json && before?.connectors?.[name] === undefined) note(context, `added ${name} to lake.yaml`);
  return report(context, outcome);
};

const remove: CommandHandler = async (context) => {
  const { name } = parseConnectorArgument(context.positionals[0]);
  const manifest = await loadManifest(context.paths);
  if (!(name in manifest.connectors)) throw new RuntimeError('CONNECTOR_UNKNOWN', `${name} is not in lake.yaml`);
  const users = manifest.connections.filter((connection) => connection.connector === name).map((c) => c.name);
  if (users.length > 0) {
    throw new RuntimeError(
      'CONNECTOR_IN_USE',
      `${name} is used by connection${users.length > 1 ? 's' : ''} ${users.join(', ')}; remove ${users.length > 1 ? 'them' : 'it'} from lake.yaml first`,
    );
  }
  const text = await withConnectorRequest(context.paths, name, undefined);
  return report(context, await installProject(context.paths, installOptions(context, { manifestText: text })));
};

/** `lake upgrade [<connector> | metric.<metric>]...`: a metric is named as lake.lock's install directories name it. */
const upgrade: CommandHandler = async (context) => {
  const manifest = await loadManifest(context.paths);
  for (const name of context.positionals) {
    const metric = name.startsWith('metric.') ? name.slice('metric.'.length) : undefined;
    const listed = metric === undefined ? name in manifest.connectors : metric in manifest.metrics;
    if (!listed) throw new RuntimeError('CONNECTOR_UNKNOWN', `${name} is not in lake.yaml`);
  }
  return report(
    context,
    await installProject(context.paths, installOptions(context, { followShipped: true, update: context.positionals })),
  );
};

export const installCommands = { install, add, remove, upgrade } satisfies Record<string, CommandHandler>;
