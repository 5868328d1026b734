// The runtime ships the console's built page: `lake ui` serves dist/console/ with nothing else to install.
import { access, cp, rm } from 'node:fs/promises';

const source = new URL('../../console/dist/', import.meta.url);
const target = new URL('../dist/console/', import.meta.url);
try {
  await access(new URL('index.html', source));
} catch {
  console.error('[lake] [runtime] packages/console/dist/index.html is missing: build @lake/console first');
  process.exit(1);
}
await rm(target, { recursive: true, force: true });
await cp(source, target, { recursive: true });
