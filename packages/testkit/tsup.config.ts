import { lakePackageBuild } from '../../tsup.config.base.ts';

export default lakePackageBuild({
  entry: {
    index: 'src/index.ts',
    'fake-api': 'src/fake-api.ts',
    'fake-api-cli': 'src/fake-api-cli.ts',
    'tested-versions': 'src/tested-versions.ts',
  },
  external: ['vitest', 'vitest/node'],
});
