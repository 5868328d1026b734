import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { credentialsKey } from '@lake-tools/registry-server';

/**
 * The token `pnpm release` publishes with: `LAKE_REGISTRY_TOKEN`, else the one your npm
 * configuration holds for the registry (what `pnpm registry:add-user` wrote): the user config
 * (`npm_config_userconfig`, default `~/.npmrc`), then the repository's `.npmrc`. `${VAR}` in a
 * value is read from the environment, as npm does.
 */
export async function registryToken(
  registryUrl: string,
  root: string,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (environment.LAKE_REGISTRY_TOKEN) return environment.LAKE_REGISTRY_TOKEN;
  const key = `${credentialsKey(registryUrl)}:_authToken`;
  const files = [environment.npm_config_userconfig ?? join(homedir(), '.npmrc'), join(root, '.npmrc')];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const separator = line.indexOf('=');
      if (separator === -1 || line.slice(0, separator).trim() !== key) continue;
      return line
        .slice(separator + 1)
        .trim()
        .replace(/\$\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) => environment[name] ?? '');
    }
  }
  return undefined;
}
