import { lakePackageBuild } from '../../tsup.config.base.ts';

export default lakePackageBuild({ entry: { index: 'src/index.ts', cli: 'src/cli.ts' } });
