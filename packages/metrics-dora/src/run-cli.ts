import { parseArgs } from 'node:util';
import { isLakeError, messageOf, openStore } from '@lake/sdk';
import { describeDatabaseUrl } from '@lake/sdk/host';
import { runMetrics, type StepReport, selectSteps } from './run-metrics.js';
import { STEP_NAMES } from './steps/index.js';

export interface CliOutput {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

const USAGE = `usage: lake-metrics-dora run --db <url> --project <name> [--step <step>…] [--json]
steps, in order: ${STEP_NAMES.join(', ')}
`;

/** `lake-metrics-dora run …`; returns the exit code (0 done, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], output: CliOutput): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
    selectSteps(parsed.steps);
  } catch (error) {
    output.err.write(`[lake] [metrics-dora] ${plainMessage(error)}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    output.out.write(USAGE);
    return 0;
  }
  const where = describeDatabaseUrl(parsed.db);
  try {
    const store = await openStore(parsed.db);
    try {
      const reports = await runMetrics(store, { projectName: parsed.project, steps: parsed.steps });
      output.out.write(
        parsed.json
          ? `${JSON.stringify({ database: where, project: parsed.project, steps: reports })}\n`
          : describe(reports, where, parsed.project),
      );
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    output.err.write(`${describeDatabaseUrl(messageOf(error))}\n`);
    return isLakeError(error) && error.code === 'USAGE' ? 2 : 1;
  }
}

function parseCommand(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      project: { type: 'string' },
      step: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true, db: '', project: '', steps: undefined, json: false };
  if (positionals[0] !== 'run' || positionals.length > 1)
    throw new Error(`unknown command "${positionals.join(' ')}": the command is run`);
  if (!values.db) throw new Error('--db <url> is required');
  if (!values.project) throw new Error('--project <name> is required');
  return { help: false, db: values.db, project: values.project, steps: values.step, json: values.json };
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
