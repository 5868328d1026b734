import { RuntimeError } from '../../errors.js';
import {
  installedMetric,
  lastLine,
  loadMetricSetting,
  type MetricSetting,
  metricsOfProject,
  runMetricProcess,
} from '../../run/metric-process.js';
import { type CommandContext, type CommandHandler, print } from '../command-context.js';

/** One metric's report for one project, as its `report` printed it. */
interface MetricReport {
  project: string;
  metric: string;
  output: string;
}

/**
 * `lake metrics [<project>]`: each metric of the project (or of every project) prints its
 * report from the database (`<metric cli> report --project <name> …`, the database in LAKE_DATABASE_URL). With --json
 * and one report, its JSON as the metric printed it; with several, one array of them.
 */
export const metricsCommand: CommandHandler = async (context) => {
  const setting = await loadMetricSetting(context.paths, context.environment);
  const projects = selectedProjects(setting, context.positionals[0]);
  const pairs = projects.flatMap((project) =>
    metricsOfProject(setting.manifest, project).map((metric) => ({ project, metric })),
  );
  if (pairs.length === 0) {
    print(
      context,
      context.positionals[0]
        ? `project ${projects[0]} has no metrics (list them under its metrics:, or under metrics: in lake.yaml)`
        : 'no project has metrics (list them under metrics: in lake.yaml)',
    );
    return 0;
  }
  const reports: MetricReport[] = [];
  for (const { project, metric } of pairs) reports.push(await report(context, setting, project, metric));
  if (context.json) {
    print(context, reports.length === 1 ? reports[0]!.output.trimEnd() : JSON.stringify(reports.map(parseReport)));
  } else {
    const titled = reports.length > 1;
    print(
      context,
      reports
        .map((entry) => (titled ? `# ${entry.project} · ${entry.metric}\n` : '') + entry.output.trimEnd())
        .join('\n\n'),
    );
  }
  return 0;
};

/** The named project, or every project of lake.yaml; an unknown name lists the known ones. */
function selectedProjects(setting: MetricSetting, name: string | undefined): string[] {
  const known = Object.keys(setting.manifest.projects);
  if (name === undefined) {
    if (known.length === 0)
      throw new RuntimeError('PROJECT_UNKNOWN', 'lake.yaml has no projects (add one under projects:)');
    return known;
  }
  if (!known.includes(name)) {
    throw new RuntimeError(
      'PROJECT_UNKNOWN',
      `no project named "${name}" in lake.yaml (projects: ${known.join(', ') || 'none'})`,
      { details: { project: name, known } },
    );
  }
  return [name];
}

async function report(
  context: CommandContext,
  setting: MetricSetting,
  project: string,
  metric: string,
): Promise<MetricReport> {
  const installed = await installedMetric(setting, metric);
  const args = ['report', '--project', project, ...reportOptions(context), ...(context.json ? ['--json'] : [])];
  const result = await runMetricProcess(setting, installed, args);
  if (result.exitCode !== 0) {
    const code = result.exitCode === null ? 'no code' : `code ${result.exitCode}`;
    throw new RuntimeError(
      'COMMAND_FAILED',
      `metric ${metric} ${installed.version} could not report on project ${project} (exited with ${code}): ${lastLine(result.stderr) ?? 'no message'}`,
      { details: { project, metric, exitCode: result.exitCode } },
    );
  }
  return { project, metric, output: result.stdout };
}

/** A report printed with --json, as JSON; one that is not is named. */
function parseReport(report: MetricReport): unknown {
  try {
    return JSON.parse(report.output) as unknown;
  } catch {
    throw new RuntimeError(
      'COMMAND_FAILED',
      `metric ${report.metric} printed no JSON report for project ${report.project} with --json: ${lastLine(report.output) ?? 'nothing'}`,
    );
  }
}

/** --from, --to and --bands, passed on as given: the metric checks them. */
function reportOptions(context: CommandContext): string[] {
  return (['from', 'to', 'bands'] as const).flatMap((name) => {
    const value = context.options[name];
    return typeof value === 'string' ? [`--${name}`, value] : [];
  });
}
