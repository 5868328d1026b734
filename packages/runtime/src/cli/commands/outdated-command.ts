import { formatTable } from '@lake/sdk/host';
import { outdatedConnectors } from '../../install/outdated.js';
import { packageLabel } from '../../install/package-kind.js';
import { type CommandHandler, note, print, printJson } from '../command-context.js';

/** Exit code 1 when anything is behind: a stale pin, a shipped version not taken, a newer release. */
export const outdatedCommand: CommandHandler = async (context) => {
  const report = await outdatedConnectors(context.paths, { environment: context.environment });
  const behind = report.rows.some((row) => row.notes.length > 0) || report.runtime.latest !== undefined;
  if (context.json) {
    printJson(context, report);
    return behind ? 1 : 0;
  }
  print(
    context,
    formatTable(
      ['package', 'pinned by', 'requested', 'locked', 'shipped', 'wanted', 'latest', 'notes'],
      report.rows.map((row) => [
        packageLabel(row),
        row.pinnedBy,
        row.requested,
        row.locked ?? '-',
        row.shipped ?? '-',
        row.wanted ?? '-',
        row.latest === undefined
          ? '-'
          : row.incompatible.some((candidate) => candidate.version === row.latest)
            ? `${row.latest} (incompatible)`
            : row.latest,
        [
          ...row.notes,
          ...row.incompatible
            .slice(0, 1)
            .map(
              (candidate) =>
                `${candidate.version} needs contract ${candidate.contract}, this runtime implements ${report.runtime.contract}`,
            ),
        ].join('; '),
      ]),
    ),
  );
  if (report.runtime.latest) {
    print(context, `\n@lake/runtime ${report.runtime.latest} is published (this is ${report.runtime.version})`);
  }
  for (const warning of report.warnings) note(context, `warning: ${warning}`);
  return behind ? 1 : 0;
};
