import { type ExtractedRow, type ReplacedRows, replaceRows } from '@lake/sdk';
import { buildCommitsTable, buildsTable, stagesTable } from '../tables/build-tables.js';
import type { BuildData, BuildPayload, BuildRecord, ChangeSet, StagePayload } from './jenkins-payloads.js';

const BUILD_DATA = 'hudson.plugins.git.util.BuildData';

/**
 * A build record into its build row, its stage rows and its commit rows, which replace what an
 * earlier reading of the build gave (a running build's stages grow). A deleted build's record
 * yields nothing and replaces all three, so its rows and domain rows go.
 */
export function extractBuild(record: BuildRecord): (ExtractedRow | ReplacedRows)[] {
  const job = record.job;
  const number = 'deleted' in record ? record.deleted : record.build.number;
  const replaced = [
    replaceRows(stagesTable, { jobFullName: job, buildNumber: number }),
    replaceRows(buildCommitsTable, { jobFullName: job, buildNumber: number }),
  ];
  if ('deleted' in record) return [replaceRows(buildsTable, { jobFullName: job, number }), ...replaced];
  const { build, stages, scopeJob } = record;
  return [
    buildRow(record.job, scopeJob, build, (stages ?? []).length > 0),
    ...replaced,
    ...(stages ?? []).map((stage) => stageRow(job, scopeJob, number, stage)),
    ...commitRows(job, scopeJob, build),
  ];
}

function buildRow(job: string, scopeJob: string, build: BuildPayload, hasStages: boolean): ExtractedRow {
  return {
    table: buildsTable,
    row: {
      jobFullName: job,
      number: build.number,
      scopeJob,
      buildClass: build._class ?? '',
      url: build.url ?? '',
      result: build.result ?? '',
      building: build.building === true,
      startedAt: build.timestamp,
      startedMs: build.timestamp,
      durationMs: build.duration ?? 0,
      displayName: build.displayName ?? `#${build.number}`,
      hasStages,
    },
  };
}

function stageRow(job: string, scopeJob: string, number: number, stage: StagePayload): ExtractedRow {
  return {
    table: stagesTable,
    row: {
      jobFullName: job,
      buildNumber: number,
      stageId: stage.id,
      scopeJob,
      name: stage.name ?? '',
      status: stage.status ?? '',
      startedAt: stage.startTimeMillis ?? null,
      durationMs: stage.durationMillis ?? 0,
    },
  };
}

/**
 * One row per revision built: each Git BuildData action names the revision and the remote it
 * came from (a Pipeline that checks out two repositories has two). The message is the change
 * set entry of that revision, when the build's change sets list it.
 */
function commitRows(job: string, scopeJob: string, build: BuildPayload): ExtractedRow[] {
  const messages = new Map<string, string>();
  for (const changeSet of changeSetsOf(build))
    for (const item of changeSet.items ?? []) if (item.commitId) messages.set(item.commitId, item.msg ?? '');
  const rows = new Map<string, ExtractedRow>();
  for (const action of build.actions ?? []) {
    if (!isBuildData(action)) continue;
    const sha = action.lastBuiltRevision?.SHA1;
    if (!sha || rows.has(sha)) continue;
    rows.set(sha, {
      table: buildCommitsTable,
      row: {
        jobFullName: job,
        buildNumber: build.number,
        commitSha: sha,
        scopeJob,
        repoUrl: action.remoteUrls?.[0] ?? '',
        branch: (action.lastBuiltRevision?.branch?.[0]?.name ?? '').replace(/^(refs\/remotes\/)?origin\//, ''),
        commitMsg: messages.get(sha) ?? '',
        buildUrl: build.url ?? '',
      },
    });
  }
  return [...rows.values()];
}

const isBuildData = (action: BuildData | null): action is BuildData => action?._class === BUILD_DATA;

function changeSetsOf(build: BuildPayload): ChangeSet[] {
  return [...(build.changeSet ? [build.changeSet] : []), ...(build.changeSets ?? [])];
}
