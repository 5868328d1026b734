import type { ProjectPaths } from '../project/project-paths.js';

export interface CommandContext {
  paths: ProjectPaths;
  /** Arguments after the command name. */
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  environment: NodeJS.ProcessEnv;
}

/** A command: prints its output and returns the exit code. */
export type CommandHandler = (context: CommandContext) => Promise<number>;

export function printJson(context: CommandContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(context: CommandContext, text: string): void {
  context.stdout.write(`${text}\n`);
}

/** Progress and warnings go to stderr, so stdout stays the command's answer. */
export function note(context: CommandContext, text: string): void {
  context.stderr.write(`${text}\n`);
}
