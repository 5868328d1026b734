/**
 * Prints how long each task of the newest turbo run took, slowest first, with its share of the
 * run's wall time: what to look at when CI gets slower. Reads the summary `turbo run --summarize`
 * writes to `.turbo/runs/` (ignored by git) and changes nothing.
 *
 *   node .ci/task-times.ts [--top N]
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface TaskSummary {
  taskId: string;
  cache: { status: string };
  execution?: { startTime: number; endTime: number; exitCode: number | null };
}

interface RunSummary {
  execution: { startTime: number; endTime: number };
  tasks: TaskSummary[];
}

const { values } = parseArgs({ options: { top: { type: 'string', default: '15' } } });
const runs = join(import.meta.dirname, '..', '.turbo', 'runs');

async function newestSummary(): Promise<RunSummary | undefined> {
  const files = (await readdir(runs).catch(() => [] as string[])).filter((file) => file.endsWith('.json'));
  const dated = await Promise.all(
    files.map(async (file) => ({ file, modified: (await stat(join(runs, file))).mtimeMs })),
  );
  const newest = dated.sort((left, right) => right.modified - left.modified)[0];
  if (newest === undefined) return undefined;
  return JSON.parse(await readFile(join(runs, newest.file), 'utf8')) as RunSummary;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

const summary = await newestSummary();
if (summary === undefined) {
  process.stdout.write(`[task-times] no turbo run summary in ${runs}\n`);
} else {
  const wall = summary.execution.endTime - summary.execution.startTime;
  const timed = summary.tasks
    .filter((task) => task.execution !== undefined)
    .map((task) => ({
      task,
      duration: task.execution!.endTime - task.execution!.startTime,
    }))
    .sort((left, right) => right.duration - left.duration);
  const lines = timed.slice(0, Number(values.top)).map(({ task, duration }) => {
    const share = wall > 0 ? Math.round((duration / wall) * 100) : 0;
    const outcome =
      task.execution!.exitCode === 0 ? task.cache.status.toLowerCase() : `exit ${task.execution!.exitCode}`;
    return `  ${seconds(duration).padStart(9)}  ${String(share).padStart(3)}%  ${task.taskId} (${outcome})`;
  });
  process.stdout.write(`[task-times] turbo run of ${seconds(wall)}, slowest tasks:\n${lines.join('\n')}\n`);
}
