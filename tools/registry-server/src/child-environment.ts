/**
 * The environment for a package-manager child process, without the configuration inherited
 * from whatever ran us. `pnpm run` and turbo export their own settings as `npm_config_*`
 * variables (the registry among them), and those outrank a project's `.npmrc`: a child `pnpm
 * add` in a consumer project would otherwise ask the public registry, not ours.
 */
export function packageManagerEnvironment(
  base: NodeJS.ProcessEnv = process.env,
  overrides: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (/^(npm_config_|npm_package_|npm_lifecycle_|pnpm_config_)/i.test(name)) continue;
    if (name === 'PNPM_SCRIPT_SRC_DIR' || name === 'INIT_CWD') continue;
    environment[name] = value;
  }
  return { ...environment, ...overrides };
}
