/**
 * `pnpm stress [--spinners N] -- <command…>`: runs the command while N spinning processes (one
 * per core by default) keep the machine busy, and exits with the command's code. DEVELOPERS.md
 * shows how it proves that the suite passes on a loaded machine.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { runUnderLoad } from './run-under-load.ts';

const usage = 'usage: pnpm stress [--spinners N] -- <command…>';

try {
  const { values, positionals } = parseArgs({
    // pnpm passes the `--` on; parseArgs then stops reading options, as it should.
    args: process.argv.slice(2),
    options: { spinners: { type: 'string' }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const spinners = values.spinners === undefined ? availableParallelism() : Number(values.spinners);
  if (!Number.isInteger(spinners) || spinners < 0)
    throw new Error(`[lake] [stress] --spinners must be a whole number, not ${values.spinners}`);
  if (positionals.length === 0) throw new Error(`[lake] [stress] no command given; ${usage}`);
  const { code } = await runUnderLoad({ command: positionals, spinners });
  process.exit(code);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
