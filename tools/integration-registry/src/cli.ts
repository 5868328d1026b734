/**
 * `pnpm registry:update` — regenerate registry/ from connectors/*.
 * `pnpm registry:check`  — fail, saying what differs, when registry/ is not what update would write.
 * Both read each connector's built CLI (`info --json`): the root scripts build connectors first.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRegistry, updateRegistry } from './registry-files.ts';

const root = resolve(process.argv[3] ?? fileURLToPath(new URL('../../..', import.meta.url)));
const command = process.argv[2];
try {
  if (command === 'update') {
    const changed = await updateRegistry(root);
    console.log(changed.length === 0 ? 'registry/ is up to date' : `updated ${changed.join(', ')}`);
  } else if (command === 'check') {
    const differences = await checkRegistry(root);
    if (differences.length > 0) {
      console.error(
        `registry/ is out of date (run pnpm registry:update and commit it):\n${differences.map((line) => `  ${line}`).join('\n')}`,
      );
      process.exitCode = 1;
    } else console.log('registry/ is up to date');
  } else {
    console.error('usage: registry-cli update|check [<workspace root>]');
    process.exitCode = 2;
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
