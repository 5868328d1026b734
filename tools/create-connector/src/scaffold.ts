import { execFile } from 'node:child_process';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES = ['http', 'database', 'files'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

const TEMPLATE_ROOT = fileURLToPath(new URL('../templates/', import.meta.url));
/** Letters and digits: the name is the directory, the package suffix, the table prefix and the CLI's name. */
const NAME = /^[a-z][a-z0-9]{1,29}$/;
const RESERVED = new Set(['sdk', 'runtime', 'testkit', 'registry', 'lake', 'core', 'domain', 'raw', 'tool']);

/** A refusal with the reason; the CLI prints it and exits 2. */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

export interface ScaffoldOptions {
  /** The workspace root. */
  root: string;
  name: string;
  template?: TemplateName;
  description?: string;
  /** Format the new files with the workspace's Biome (default true): tables and wrapping depend on the name. */
  format?: boolean;
}

export interface ScaffoldResult {
  directory: string;
  /** Written files, relative to the workspace root. */
  files: string[];
}

/** Why `name` cannot be a connector's name, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (!NAME.test(name)) {
    return `"${name}" is not a connector name: 2 to 30 lower-case letters and digits, starting with a letter (e.g. jira, gitlab, pagerduty)`;
  }
  if (RESERVED.has(name)) return `"${name}" is reserved for Lake's own packages and tables`;
  return undefined;
}

/**
 * Writes `connectors/<name>` from the template (the files of `templates/common` and
 * `templates/<template>`, placeholders filled) and a changeset for its first release.
 * Refuses an invalid name, an existing directory or an unknown template before writing.
 */
export async function scaffoldConnector(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const template = options.template ?? 'http';
  if (!(TEMPLATES as readonly string[]).includes(template)) {
    throw new ScaffoldError(`unknown template "${template}" (templates: ${TEMPLATES.join(', ')})`);
  }
  const problem = nameProblem(options.name);
  if (problem) throw new ScaffoldError(problem);
  const directory = join(options.root, 'connectors', options.name);
  if (await exists(directory)) {
    throw new ScaffoldError(`connectors/${options.name} already exists; pick another name or remove it first`);
  }
  const values = placeholders(options.name, template, options.description);
  const files = new Map<string, string>();
  for (const source of ['common', template]) {
    const base = join(TEMPLATE_ROOT, source);
    for (const file of await listFiles(base)) {
      const target = relative(base, file)
        .replace(/\.tmpl$/, '')
        .replaceAll('__name__', options.name);
      files.set(target, fill(await readFile(file, 'utf8'), values));
    }
  }
  // A template's own dependencies (exactly pinned) join the common package.json.
  const extra = files.get('package.extra.json');
  if (extra !== undefined) {
    files.delete('package.extra.json');
    files.set('package.json', mergePackageJson(files.get('package.json')!, extra));
  }
  const written: string[] = [];
  try {
    for (const [path, text] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await mkdir(dirname(join(directory, path)), { recursive: true });
      await writeFile(join(directory, path), text);
      written.push(join('connectors', options.name, path));
    }
    const changeset = join('.changeset', `connector-${options.name}.md`);
    await writeFile(
      join(options.root, changeset),
      `---\n"@lake/connector-${options.name}": patch\n---\n\nFirst release of the ${options.name} connector: ${values.__DESCRIPTION__}\n`,
    );
    written.push(changeset);
    // The changeset is left as written: a formatter would rewrite its front matter, and
    // `changeset version` would then refuse it.
    if (options.format !== false) await formatWithBiome(options.root, [directory]);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    await rm(join(options.root, '.changeset', `connector-${options.name}.md`), { force: true });
    throw error;
  }
  return { directory, files: written };
}

/** The values templates refer to as `__name__`, `__Name__`, …; exported for the guide's test. */
export function placeholders(name: string, template: TemplateName, description?: string): Record<string, string> {
  const title = name.charAt(0).toUpperCase() + name.slice(1);
  const describe: Record<TemplateName, string> = {
    http: `Lake connector for the ${title} REST API: project items as issues.`,
    database: `Lake connector for a ${title} PostgreSQL database: its items table as issues.`,
    files: `Lake connector for ${title} export files: signed JSON exports as issues.`,
  };
  return {
    __name__: name,
    __Name__: title,
    __TEMPLATE__: template,
    __DESCRIPTION__: (description ?? describe[template]).replaceAll('"', "'"),
  };
}

function mergePackageJson(base: string, extra: string): string {
  const manifest = JSON.parse(base) as Record<string, Record<string, string>>;
  const additions = JSON.parse(extra) as Record<string, Record<string, string>>;
  for (const [field, entries] of Object.entries(additions)) {
    manifest[field] = Object.fromEntries(
      Object.entries({ ...manifest[field], ...entries }).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  }
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function fill(text: string, values: Record<string, string>): string {
  let result = text;
  for (const [placeholder, value] of Object.entries(values)) result = result.replaceAll(placeholder, value);
  return result;
}

function formatWithBiome(root: string, paths: string[]): Promise<void> {
  const biome = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [biome, 'check', '--write', ...paths], { cwd: root }, (error, _stdout, stderr) =>
      error ? reject(new Error(`biome could not format ${paths.join(', ')}: ${stderr || error.message}`)) : resolve(),
    );
  });
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
