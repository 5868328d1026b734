import { isLakeError, messageOf, openStore, type Store } from '@lake/sdk';
import { describeDatabaseUrl } from '@lake/sdk/host';
import { type ParsedCommand, parseCommand } from './cli-arguments.js';
import { explainPullRequest } from './explain/explain-pull-request.js';
import { formatExplanation } from './explain/format-explanation.js';
import { doraReport } from './report/dora-report.js';
import { formatReport } from './report/format-report.js';
import { runMetrics, type StepReport, selectSteps } from './run-metrics.js';
import { STEP_NAMES } from './steps/index.js';

export interface CliOutput {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

const USAGE = `usage: lake-metrics-dora run --db <url> --project <name> [--step <step>…] [--json]
       lake-metrics-dora report --db <url> --project <name> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--bands 2023|2021] [--json]
       lake-metrics-dora explain --db <url> --project <name> --pull-request <id> [--json]
steps, in order: ${STEP_NAMES.join(', ')}
report: the four DORA metrics over [--from, --to] (UTC days, both included; default the last six months)
`;

/** `lake-metrics-dora run|report|explain …`; returns the exit code (0 done, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], output: CliOutput): Promise<number> {
  let parsed: ParsedCommand;
  try {
    parsed = parseCommand(argv);
    if (parsed.command === 'run') selectSteps(parsed.steps);
  } catch (error) {
    output.err.write(`[lake] [metrics-dora] ${plainMessage(error)}\n${USAGE}`);
    return 2;
  }
  if (parsed.command === 'help') {
    output.out.write(USAGE);
    return 0;
  }
  const command = parsed;
  try {
    const store = await openStore(command.db);
    try {
      output.out.write(await execute(store, command));
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    const usageError = isLakeError(error) && error.code === 'USAGE';
    output.err.write(`${describeDatabaseUrl(messageOf(error))}\n${usageError ? USAGE : ''}`);
    return usageError ? 2 : 1;
  }
}

async function execute(store: Store, command: Exclude<ParsedCommand, { command: 'help' }>): Promise<string> {
  const json = (value: unknown) => `${JSON.stringify(value)}\n`;
  switch (command.command) {
    case 'run': {
      const where = describeDatabaseUrl(command.db);
      const reports = await runMetrics(store, { projectName: command.project, steps: command.steps });
      return command.json
        ? json({ database: where, project: command.project, steps: reports })
        : describe(reports, where, command.project);
    }
    case 'report': {
      const report = await doraReport(store, {
        projectName: command.project,
        bands: command.bands,
        ...(command.from === undefined ? {} : { from: command.from }),
        ...(command.to === undefined ? {} : { to: command.to }),
      });
      return command.json ? json(report) : formatReport(report);
    }
    case 'explain': {
      const explanation = await explainPullRequest(store, {
        projectName: command.project,
        pullRequestId: command.pullRequest,
      });
      return command.json ? json(explanation) : formatExplanation(explanation);
    }
  }
}

function describe(reports: readonly StepReport[], where: string, project: string): string {
  const lines = [`project ${project} on ${where}`];
  for (const report of reports) {
    const parts = [
      ...Object.entries(report.written).map(([table, count]) => `${table} +${count}`),
      ...Object.entries(report.deleted).map(([table, count]) => `${table} -${count}`),
    ];
    lines.push(`${report.step.padEnd(22)}${parts.join(', ') || 'nothing to do'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An error's message without the `[lake] [metrics-dora]` prefix this CLI adds itself. */
function plainMessage(error: unknown): string {
  return messageOf(error).replace(/^\[lake\] \[metrics-dora\] /, '');
}
