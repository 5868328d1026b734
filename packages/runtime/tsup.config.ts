import { lakePackageBuild } from '../../tsup.config.base.ts';

export default lakePackageBuild({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  // `lake list`, `status` and `info` read lake.yaml and lake.lock with these: bundled, they load
  // in a third of the time (pnpm bench, "lake list … vs lake --help").
  bundle: ['yaml', 'zod', 'semver', 'croner'],
});
