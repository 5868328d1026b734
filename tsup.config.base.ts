/**
 * The one build configuration every published package uses: ESM only, `.d.ts` beside it,
 * Node 22.12+ as the floor. A package's own `tsup.config.ts` names its entry points and
 * nothing else, e.g.
 *
 *   import { lakePackageBuild } from '../../tsup.config.base.ts';
 *   export default lakePackageBuild({ entry: { index: 'src/index.ts' } });
 */
import { defineConfig, type Options } from 'tsup';

export interface LakePackageBuildOptions {
  /** Entry points, keyed by output name (`{ index: 'src/index.ts' }` → `dist/index.js`). */
  entry: Record<string, string>;
  /** Modules left as runtime imports besides the package's dependencies. */
  external?: string[];
  /**
   * Dependencies bundled into the output instead of imported at run time. For a CLI whose
   * start-up time matters (`lake`): one file parses faster than a package's hundred modules.
   * CommonJS ones among them get a `require` (ESM output has none).
   */
  bundle?: string[];
}

export function lakePackageBuild(options: LakePackageBuildOptions): Options {
  return defineConfig({
    entry: options.entry,
    format: ['esm'],
    target: 'node22',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    outDir: 'dist',
    external: options.external ?? [],
    ...(options.bundle
      ? {
          noExternal: options.bundle,
          banner: {
            js: "import { createRequire as __lakeCreateRequire } from 'node:module';\nconst require = __lakeCreateRequire(import.meta.url);",
          },
        }
      : {}),
  }) as Options;
}
