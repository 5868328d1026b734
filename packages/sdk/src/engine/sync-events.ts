/** What a sync reports while it runs; the CLI renders these, `--json` prints them as lines. */
export type SyncEvent =
  | { type: 'sync-start'; syncId: string; connector: string; scopeId: string; streams: string[] }
  | { type: 'sync-skip'; syncId: string; reason: string }
  | { type: 'stream-start'; stream: string; full: boolean; resumed: boolean }
  | { type: 'stream-progress'; stream: string; records: number; total: number | undefined; elapsedMs: number }
  | {
      type: 'stream-end';
      stream: string;
      status: 'succeeded' | 'failed' | 'aborted';
      records: number;
      toolRows: number;
      domainRows: number;
      removed: number;
      elapsedMs: number;
      error?: string;
    }
  | { type: 'migrations'; owner: string; applied: string[] };
