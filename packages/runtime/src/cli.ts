#!/usr/bin/env node
/**
 * `lake`: the runtime's command line. This file stays light — `lake --help` must answer at
 * once with twenty connectors installed — so it only parses the command and loads that
 * command's module on demand; npm's installer and the SDK are imported by the commands
 * that need them.
 */
import { readFileSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { join, resolve } from 'node:path';
import { COMMAND_NAMES, type CommandName, helpText } from './cli/help.js';

// V8's code cache for every module loaded from here on (Node's own, under the system's temporary
// directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a command's modules are compiled once,
// not at every `lake list`.
enableCompileCache?.();

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `lake: Node ${process.versions.node} is too old; Lake needs Node 22.12 or newer (24 LTS recommended)\n`,
  );
  process.exit(1);
}

// A reader that goes away (`lake info github | head -1`) is not an error of ours: stop writing
// and finish the command, so `lake sync … | head` still completes the sync and exits with its
// own code, not with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const argv = process.argv.slice(2);
const projectRoot = projectOption(argv) ?? process.env.LAKE_PROJECT ?? process.cwd();
const command = argv.find((argument, index) => !argument.startsWith('-') && !isOptionValue(argv, index));

if (argv.includes('--version') || argv.includes('-v') || command === 'version') {
  process.stdout.write(`${runtimeVersion()}\n`);
} else if (command === undefined || command === 'help' || (argv.includes('--help') && command === undefined)) {
  process.stdout.write(`${helpText(installedConnectors(projectRoot))}\n`);
} else if (!(COMMAND_NAMES as readonly string[]).includes(command)) {
  process.stderr.write(`lake: unknown command "${command}" (see \`lake --help\`)\n`);
  process.exitCode = 2;
} else {
  const { runCommand } = await import('./cli/run-command.js');
  process.exitCode = await runCommand(command as CommandName, argv, projectRoot);
}

/** `--project <dir>` / `-C <dir>` anywhere on the line. */
function projectOption(args: string[]): string | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const argument = args[index]!;
    if (argument === '--project' || argument === '-C') return args[index + 1];
    if (argument.startsWith('--project=')) return argument.slice('--project='.length);
  }
  return undefined;
}

function isOptionValue(args: string[], index: number): boolean {
  const previous = args[index - 1];
  return previous === '--project' || previous === '-C';
}

function runtimeVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** Installed connectors for the help text, from the working set alone (no lock, no npm). */
function installedConnectors(root: string): Array<{ name: string; version: string }> {
  try {
    const set = JSON.parse(readFileSync(join(resolve(root), '.lake', 'connectors', 'installed.json'), 'utf8')) as {
      connectors: Record<string, { version: string }>;
    };
    return Object.entries(set.connectors)
      .map(([name, entry]) => ({ name, version: entry.version }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}
