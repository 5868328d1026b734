/**
 * A worker thread for `registry.test.ts`: type-checks the SDK with an extra dialect folder held
 * in memory and answers each request with the diagnostics of the files under `dialects/`.
 * TypeScript's checker is synchronous and, on a loaded machine, can run for a minute; in its own
 * thread it leaves the test worker's event loop free to answer vitest (whose calls time out after
 * sixty seconds). Plain enough for Node's type stripping: it imports no file of this package.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import ts from 'typescript';

export interface CompileRequest {
  id: number;
  /** File name under `dialects/oracle/` → its text. */
  folder: Record<string, string>;
  /** The text `registry.ts` is replaced with. */
  registry: string;
}

export interface CompileAnswer {
  id: number;
  diagnostics: string[];
}

const { here, registryFile } = workerData as { here: string; registryFile: string };
let previous: ts.Program | undefined;

function compileWithDialect(folder: Record<string, string>, registry: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ['node'],
  };
  const virtual = new Map<string, string>([[registryFile, registry]]);
  for (const [name, text] of Object.entries(folder)) virtual.set(join(here, 'oracle', name), text);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => virtual.get(file) ?? readFile(file);
  host.fileExists = (file) => virtual.has(file) || fileExists(file);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (directory) =>
    directory === join(here, 'oracle') ||
    (directoryExists ? directoryExists(directory) : ts.sys.directoryExists(directory));
  host.getSourceFile = (file, language, onError, create) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile(file, language, onError, create)
      : ts.createSourceFile(file, text, language);
  };
  const roots = [
    registryFile,
    join(here, '..', 'store.ts'),
    ...[...virtual.keys()].filter((file) => file !== registryFile),
  ];
  const program = ts.createProgram(roots, options, host, previous);
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName.startsWith(here))
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

parentPort?.on('message', (request: CompileRequest) => {
  const answer: CompileAnswer = { id: request.id, diagnostics: compileWithDialect(request.folder, request.registry) };
  parentPort?.postMessage(answer);
});
