import type { Store } from '@lake/sdk';

/** What one step did: rows it wrote (inserted, upserted or updated) and rows it deleted, per table. */
export interface StepOutcome {
  written: Record<string, number>;
  deleted: Record<string, number>;
}

export interface StepOptions {
  /** The `projects.name` / `project_mapping.project_name` whose scopes the step reads. */
  projectName: string;
}

export type Step = (store: Store, options: StepOptions) => Promise<StepOutcome>;

export function emptyOutcome(): StepOutcome {
  return { written: {}, deleted: {} };
}
