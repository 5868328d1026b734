import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** A function longer than the limit: where it is and how many lines it spans. */
export interface LongFunction {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

/** The source files of published code: `packages/*\/src` and `connectors/*\/src`, without tests, fixtures and declarations. */
export function publishedSourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'connectors']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const source = join(root, group, entry.name, 'src');
      let names: string[];
      try {
        names = readdirSync(source, { recursive: true, encoding: 'utf8' });
      } catch {
        continue;
      }
      for (const name of names) {
        if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name.endsWith('.d.ts')) continue;
        if (name.split('/').includes('__fixtures__')) continue;
        files.push(join(source, name));
      }
    }
  }
  return files.sort();
}

/** Every function (declaration, method, arrow, expression, accessor, constructor) in `text` spanning more than `limit` lines. */
export function longFunctionsIn(file: string, text: string, limit: number): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > limit) found.push({ file, name: nameOf(node), line: start + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

/** The functions over `limit` lines in the published source under `root`, as `path:line name (n lines)`. */
export function longFunctions(root: string, limit: number): string[] {
  return publishedSourceFiles(root).flatMap((file) =>
    longFunctionsIn(relative(root, file), readFileSync(file, 'utf8'), limit).map(
      (each) => `${each.file}:${each.line} ${each.name} (${each.lines} lines)`,
    ),
  );
}
