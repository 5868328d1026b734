import { RuntimeError } from '../../errors.js';
import { SecretStore } from '../../secrets/secret-store.js';
import { type CommandContext, type CommandHandler, print, printJson } from '../command-context.js';

/**
 * `lake secret set <name>` reads the value from stdin (never argv: it would land in shell
 * history); `list` prints names only; `remove` deletes one.
 */
export const secretCommand: CommandHandler = async (context) => {
  const [action, name] = context.positionals;
  const store = await SecretStore.open(context.paths, context.environment);
  switch (action) {
    case 'set': {
      if (!name) throw new RuntimeError('USAGE', 'lake secret set <name> (the value comes from stdin)');
      if (context.stdin.isTTY) context.stderr.write(`value for ${name} (then Enter): `);
      const value = await readValue(context);
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

async function readValue(context: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  if (context.stdin.isTTY) {
    // One line from a terminal.
    for await (const chunk of context.stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      chunks.push(buffer);
      if (buffer.includes(10)) break;
    }
  } else {
    for await (const chunk of context.stdin)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
