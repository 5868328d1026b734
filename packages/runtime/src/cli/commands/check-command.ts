import { RuntimeError } from '../../errors.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import { checkProjectSettings, describeSettingsIssues, settingsIssueCount } from '../../settings/project-settings.js';
import { type CommandHandler, note, print, printJson } from '../command-context.js';

/**
 * `lake check`: lake.yaml as the connectors will read it — every connection's settings and
 * every scope against its installed connector's JSON Schemas (each connector's files checked
 * first). Exit 0 when all fit, 2 naming each field that does not, 1 when something could not
 * be checked (a connector not installed, or changed on disk).
 */
export const checkCommand: CommandHandler = async (context) => {
  if (context.positionals.length > 0) throw new RuntimeError('USAGE', 'lake check takes no arguments');
  const manifest = await loadManifest(context.paths);
  const results = await checkProjectSettings(context.paths, manifest, {
    environment: context.environment,
    verifyFiles: true,
  });
  const issues = settingsIssueCount(results);
  const unchecked = results.filter((result) => result.problem !== undefined);
  if (context.json) printJson(context, { connections: results });
  else {
    for (const result of results) {
      const scopes = manifest.connections.find((connection) => connection.name === result.connection)?.scopes.length;
      if (result.problem) print(context, `FAIL ${result.connection}: ${result.problem}`);
      else if (result.issues.length > 0) print(context, `FAIL ${result.connection} (${result.connector})`);
      else print(context, `ok   ${result.connection} (${result.connector}): settings and ${scopes} scope(s)`);
    }
    const lines = describeSettingsIssues(results);
    if (lines.length > 0)
      print(
        context,
        `\nlake.yaml's settings do not fit the connectors:\n${lines.map((line) => `  ${line}`).join('\n')}`,
      );
    for (const result of results.filter((candidate) => candidate.unresolved.length > 0)) {
      note(
        context,
        `note: ${result.connection}: ${result.unresolved.map((reference) => `\${${reference}}`).join(', ')} not resolvable here; checked as written`,
      );
    }
    if (results.length === 0) print(context, 'no connections in lake.yaml');
  }
  if (issues > 0) return 2;
  return unchecked.length > 0 ? 1 : 0;
};
