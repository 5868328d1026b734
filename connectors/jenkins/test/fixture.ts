import type { ContextInput } from '@lake/testkit';
import { FOLDER, FREESTYLE_JOB, JenkinsDataset, MULTIBRANCH, PIPELINE_JOB } from './fake-jenkins/dataset.js';
import { API_TOKEN, type FakeJenkins, startFakeJenkins, USER } from './fake-jenkins/fake-jenkins.js';

export const DEPLOY_JOB = 'app/deploy';
export const SERVICE_JOB = 'app/service';

/**
 * A Jenkins with a folder `app` holding a Pipeline job `app/deploy` (its last `running` builds
 * still running) and a multibranch pipeline `app/service` with branches `main` and
 * `feature%2Flogin` (Jenkins' name for the branch feature/login), and a freestyle job `legacy`.
 */
export function jenkinsDataset(deployBuilds: number, options: { running?: number; legacyBuilds?: number } = {}) {
  return new JenkinsDataset()
    .addFolder('app')
    .addJob(DEPLOY_JOB, PIPELINE_JOB, deployBuilds, { running: options.running ?? 2 })
    .addFolder(SERVICE_JOB, MULTIBRANCH)
    .addJob(`${SERVICE_JOB}/main`, PIPELINE_JOB, 4, { running: 1 })
    .addJob(`${SERVICE_JOB}/feature%2Flogin`, PIPELINE_JOB, 2)
    .addJob('legacy', FREESTYLE_JOB, options.legacyBuilds ?? 3)
    .addFolder('empty', FOLDER);
}

export interface JenkinsFixture {
  dataset: JenkinsDataset;
  jenkins: FakeJenkins;
  context: ContextInput;
  close(): Promise<void>;
}

/** A dataset, a fake Jenkins serving it, and a context for one job of it (connection id 1). */
export async function jenkinsFixture(
  dataset: JenkinsDataset,
  options: { job?: string; scopeConfig?: Record<string, unknown>; connection?: Record<string, unknown> } = {},
): Promise<JenkinsFixture> {
  const jenkins = await startFakeJenkins(dataset);
  return {
    dataset,
    jenkins,
    context: {
      connection: { id: 1, endpoint: jenkins.url, username: USER, apiToken: API_TOKEN, ...options.connection },
      scope: { job: options.job ?? DEPLOY_JOB },
      scopeConfig: options.scopeConfig ?? {},
    },
    close: () => jenkins.close(),
  };
}
