import { describe, expect, it } from 'vitest';
import { CommitGraph } from '../src/commit-graph.js';

function graphOf(edges: [string, string][]): CommitGraph {
  const graph = new CommitGraph();
  for (const [child, parent] of edges) graph.addEdge(child, parent);
  return graph;
}

describe('CommitGraph.commitsBetween', () => {
  // a ← b ← d ← e, a ← c ← d (d merges b and c); x is unrelated.
  const graph = graphOf([
    ['b', 'a'],
    ['c', 'a'],
    ['d', 'b'],
    ['d', 'c'],
    ['e', 'd'],
  ]);

  it('walks depth first, parents in the order they were added, each commit once', () => {
    expect(graph.commitsBetween('e', '')).toEqual(['e', 'd', 'b', 'a', 'c']);
  });

  it('leaves out what the old commit reaches, through both sides of a merge', () => {
    expect(graph.commitsBetween('e', 'b')).toEqual(['e', 'd', 'c']);
    expect(graph.commitsBetween('e', 'd')).toEqual(['e']);
    expect(graph.commitsBetween('c', 'b')).toEqual(['c']);
  });

  it('gives nothing for the same commit, the new commit alone when it is unknown, everything when the old is', () => {
    expect(graph.commitsBetween('d', 'd')).toEqual([]);
    expect(graph.commitsBetween('x', 'a')).toEqual(['x']);
    expect(graph.commitsBetween('d', 'unknown')).toEqual(['d', 'b', 'a', 'c']);
  });

  it('answers repeated walks independently (no state left from the previous pair)', () => {
    expect(graph.commitsBetween('e', 'c')).toEqual(['e', 'd', 'b']);
    expect(graph.commitsBetween('e', 'c')).toEqual(['e', 'd', 'b']);
    graph.addEdge('f', 'e');
    expect(graph.commitsBetween('f', 'a')).toEqual(['f', 'e', 'd', 'b', 'c']);
  });

  it('walks a 100,000-commit history without recursion', () => {
    const long = new CommitGraph();
    const count = 100_000;
    for (let index = 1; index < count; index += 1) {
      long.addEdge(`n${index}`, `n${index - 1}`);
      // A merge every 1,000 commits brings in a one-commit side branch.
      if (index % 1000 === 0) {
        long.addEdge(`n${index}`, `side${index}`);
        long.addEdge(`side${index}`, `n${index - 2}`);
      }
    }
    const all = long.commitsBetween(`n${count - 1}`, '');
    expect(all).toHaveLength(count + 99);
    expect(new Set(all).size).toBe(all.length);
    expect(all[0]).toBe(`n${count - 1}`);
    expect(long.commitsBetween(`n${count - 1}`, `n${count - 3001}`)).toHaveLength(3000 + 3);
  });
});
