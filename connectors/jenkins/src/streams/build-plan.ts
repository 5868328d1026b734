import type { ListedBuild } from './jenkins-payloads.js';
import type { StoredBuild } from './scope-builds.js';

/** The newest build a completed reading of a job saw: builds above it are new. */
export interface JobMark {
  number: number;
  timestamp: number;
}

export interface PlanInput {
  listed: readonly ListedBuild[];
  stored: ReadonlyMap<number, StoredBuild>;
  mark: JobMark | undefined;
  full: boolean;
  /** Builds started before this instant (ms) are left out. */
  since: number;
}

/** What a sync does for one job: the listing positions of builds to read, and the stored builds that are gone. */
export interface BuildPlan {
  positions: number[];
  deleted: number[];
}

/**
 * Compares the listing with the lake. A build is read when it is new (above the mark) and not
 * stored yet, when it finished since the lake stored it running, or when the lake holds another build under its number (the job was
 * deleted and created again, and numbering started over). A build the lake holds that is no
 * longer listed was deleted. A full sync reads every build; what it does not see is swept.
 */
export function planBuilds(input: PlanInput): BuildPlan {
  const { listed, stored, full, since } = input;
  const floor = full || restarted(input) ? 0 : (input.mark?.number ?? 0);
  const positions: number[] = [];
  listed.forEach((build, position) => {
    if (build.timestamp < since) return;
    const known = stored.get(build.number);
    // The listing says whether a build is running: one the lake holds as running is read again
    // once it has finished (not while it runs, so that a sync of an unchanged job reads nothing).
    const unchanged = known !== undefined && known.startedMs === build.timestamp && known.building === build.building;
    if (full || (!unchanged && (build.number > floor || known !== undefined))) positions.push(position);
  });
  if (full) return { positions, deleted: [] };
  const numbers = new Set(listed.map((build) => build.number));
  const deleted = [...stored.keys()].filter((number) => !numbers.has(number)).sort((a, b) => a - b);
  return { positions, deleted };
}

/** Numbering started over: the marked build is listed with another start, or newer builds have lower numbers. */
function restarted({ listed, mark }: PlanInput): boolean {
  if (!mark) return false;
  const same = listed.find((build) => build.number === mark.number);
  if (same) return same.timestamp !== mark.timestamp;
  const newest = listed[0];
  return newest !== undefined && newest.number < mark.number && newest.timestamp > mark.timestamp;
}

/** Positions grouped into `{from,to}` ranges of at most `size` consecutive builds. */
export function rangesOf(positions: readonly number[], size: number): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  for (const position of positions) {
    const last = ranges.at(-1);
    if (last && position === last.to && last.to - last.from < size) last.to += 1;
    else ranges.push({ from: position, to: position + 1 });
  }
  return ranges;
}
