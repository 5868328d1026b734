/** The parts of Jenkins' JSON the streams read (`tree=` selects exactly these). */

export interface ListedBuild {
  number: number;
  timestamp: number;
  building: boolean;
}

export interface BuildData {
  _class?: string;
  lastBuiltRevision?: { SHA1?: string; branch?: { name?: string }[] };
  remoteUrls?: string[];
}

export interface ChangeSet {
  items?: { commitId?: string; msg?: string }[];
}

export interface BuildPayload extends ListedBuild {
  _class?: string;
  url?: string;
  result?: string | null;
  duration?: number;
  displayName?: string;
  actions?: (BuildData | null)[];
  changeSet?: ChangeSet;
  changeSets?: ChangeSet[];
}

export interface StagePayload {
  id: string;
  name?: string;
  status?: string;
  startTimeMillis?: number;
  durationMillis?: number;
}

/** One raw record of the builds stream: a build with its stages, or the note that a build is gone. */
export type BuildRecord =
  | { job: string; scopeJob: string; build: BuildPayload; stages: StagePayload[] | null }
  | { job: string; scopeJob: string; deleted: number };

/** Fields of the listing: enough to tell new, changed and running builds apart. */
export const LISTING_TREE = 'number,timestamp,building';

/** Fields of a build: its run, the revisions it built (Git plugin's BuildData) and its change sets. */
export const BUILD_TREE = [
  '_class,number,url,result,building,timestamp,duration,displayName',
  'actions[_class,lastBuiltRevision[SHA1,branch[name]],remoteUrls]',
  'changeSet[items[commitId,msg]]',
  'changeSets[items[commitId,msg]]',
].join(',');

/** Pipeline runs (`WorkflowRun`) have stages at `/wfapi/describe`; freestyle builds do not. */
export const isPipelineRun = (build: BuildPayload) => build._class === 'org.jenkinsci.plugins.workflow.job.WorkflowRun';
