import { seededRandom } from '../seeded-random.js';

/**
 * Which kill points (1-based positions in a clean run's list) to try. All of them when the
 * budget allows; otherwise the places where bugs have been found first, most telling first — a
 * migration applied but not recorded, an index created after its table, the first commit (a
 * bookmark saved ahead of its records shows there), a raw table's creation, the last commit,
 * then the first and the last write not yet committed — leaving one place (of a budget of five
 * or more) for a seeded random pick of the rest, so that the sample moves with the seed and a
 * CI failure can be reproduced with the seed it prints.
 */
export function planKillPoints(labels: readonly string[], budget: number | 'all', seed: number): number[] {
  const all = labels.map((_, index) => index + 1);
  if (budget === 'all' || budget >= labels.length) return all;
  const chosen = new Set<number>();
  const random = seededRandom(seed);
  const targeted = budget >= 5 ? budget - 1 : budget;
  for (const position of targetedKillPoints(labels, random)) {
    if (position > 0 && chosen.size < targeted) chosen.add(position);
  }
  const rest = all.filter((position) => !chosen.has(position));
  while (chosen.size < budget && rest.length > 0) {
    const [position] = rest.splice(Math.floor(random() * rest.length), 1);
    chosen.add(position!);
  }
  return [...chosen].sort((left, right) => left - right);
}

/** The telling kill points in order of how often they found bugs (0 where a run has none). */
function targetedKillPoints(labels: readonly string[], random: () => number): number[] {
  const all = labels.map((_, index) => index + 1);
  const firstWhere = (test: (label: string) => boolean) => labels.findIndex(test) + 1;
  const lastWhere = (test: (label: string) => boolean) => {
    for (let index = labels.length - 1; index >= 0; index -= 1) if (test(labels[index]!)) return index + 1;
    return 0;
  };
  const isIndexAfterTable = (label: string, index: number) =>
    label.startsWith('ddl: create index') && (labels[index - 1] ?? '').startsWith('ddl: create');
  const indexesAfterTables = all.filter((position) => isIndexAfterTable(labels[position - 1]!, position - 1));
  return [
    lastWhere((label) => label.endsWith('applied, not recorded')),
    indexesAfterTables[Math.floor(random() * indexesAfterTables.length)] ?? 0,
    firstWhere((label) => label === 'transaction: committed'),
    firstWhere((label) => label.startsWith('ddl: create raw table')),
    lastWhere((label) => label === 'transaction: committed'),
    firstWhere((label) => label === 'transaction: written, not committed'),
    lastWhere((label) => label === 'transaction: written, not committed'),
  ];
}
