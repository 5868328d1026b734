import { RuntimeError } from '../../errors.js';
import { SecretStore } from '../../secrets/secret-store.js';
import { type CommandHandler, print, printJson } from '../command-context.js';
import { readSecretValue } from '../read-secret.js';

/**
 * `lake secret set <name>` asks for the value on a terminal without echoing it, or reads it
 * from stdin (never argv: it would land in shell history and process listings); `list`
 * prints names only; `remove` deletes one.
 */
export const secretCommand: CommandHandler = async (context) => {
  const [action, name] = context.positionals;
  const store = await SecretStore.open(context.paths, context.environment);
  switch (action) {
    case 'set': {
      if (!name) throw new RuntimeError('USAGE', 'lake secret set <name> (the value comes from stdin)');
      const value = await readSecretValue(context.stdin, context.stderr, `value for ${name} (not shown; then Enter): `);
      await store.set(name, value);
      print(context, `secret ${name} stored; refer to it as \${secret:${name}}`);
      return 0;
    }
    case 'list':
      if (context.json) printJson(context, store.names());
      else print(context, store.names().join('\n') || 'no secrets');
      return 0;
    case 'remove':
      if (!name) throw new RuntimeError('USAGE', 'lake secret remove <name>');
      if (!(await store.remove(name))) throw new RuntimeError('SECRET_MISSING', `no secret named ${name}`);
      print(context, `secret ${name} removed`);
      return 0;
    default:
      throw new RuntimeError('USAGE', 'lake secret set <name> | lake secret list | lake secret remove <name>');
  }
};
