import { describe, expect, it } from 'vitest';
import { countReachable } from '../src/commit-graph.js';

describe('countReachable', () => {
  it('counts each commit once through merges, the tip included', () => {
    // d merges b and c, which both come from a; e is on another branch.
    const edges = [
      ['d', 'b'],
      ['d', 'c'],
      ['b', 'a'],
      ['c', 'a'],
      ['e', 'a'],
    ] as const;
    expect(countReachable(edges, 'd')).toBe(4);
    expect(countReachable(edges, 'e')).toBe(2);
    expect(countReachable(edges, 'a')).toBe(1);
    expect(countReachable([], 'root')).toBe(1);
  });
});
