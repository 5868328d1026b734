import { lakePackageBuild } from '../../tsup.config.base.ts';

export default lakePackageBuild({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    host: 'src/host.ts',
    protocol: 'src/protocol.ts',
    testing: 'src/testing.ts',
  },
});
