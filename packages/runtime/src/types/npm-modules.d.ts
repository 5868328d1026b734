// The parts of npm's installer and fetcher the runtime uses. They ship no types of their own;
// these declarations cover exactly what is called here.

declare module '@npmcli/arborist' {
  export interface ArboristNode {
    name: string;
    packageName: string;
    location: string;
    path: string;
    version: string;
    resolved: string | null;
    integrity: string | null;
    isRoot: boolean;
    isLink: boolean;
    package: Record<string, unknown>;
    children: Map<string, ArboristNode>;
    inventory: Map<string, ArboristNode>;
  }

  export interface BuildIdealTreeOptions {
    add?: string[];
    update?: boolean | { names: string[] };
  }

  export interface ReifyOptions extends BuildIdealTreeOptions {
    save?: boolean;
  }

  export default class Arborist {
    constructor(options: Record<string, unknown> & { path: string });
    buildIdealTree(options?: BuildIdealTreeOptions): Promise<ArboristNode>;
    loadActual(): Promise<ArboristNode>;
    loadVirtual(): Promise<ArboristNode>;
    reify(options?: ReifyOptions): Promise<ArboristNode>;
  }
}

declare module 'pacote' {
  export interface PacoteManifest extends Record<string, unknown> {
    name: string;
    version: string;
    _resolved: string;
    _integrity: string;
    _from: string;
  }

  export interface Packument {
    name: string;
    'dist-tags': Record<string, string>;
    versions: Record<string, Record<string, unknown>>;
  }

  interface Pacote {
    manifest(spec: string, options?: Record<string, unknown>): Promise<PacoteManifest>;
    packument(spec: string, options?: Record<string, unknown>): Promise<Packument>;
    tarball(spec: string, options?: Record<string, unknown>): Promise<Buffer & { integrity: string; resolved: string }>;
    extract(
      spec: string,
      destination: string,
      options?: Record<string, unknown>,
    ): Promise<{ integrity: string; resolved: string }>;
  }

  const pacote: Pacote;
  export default pacote;
}

declare module 'better-sqlite3' {
  // Only what `readSqlite` (run-records.ts) uses; the SDK's store does the rest with kysely.
  export default class Database {
    constructor(path: string, options?: { readonly?: boolean; fileMustExist?: boolean });
    prepare(sql: string): {
      all(parameters?: Record<string, unknown>): unknown[];
      get(...parameters: unknown[]): unknown;
    };
    close(): void;
  }
}
