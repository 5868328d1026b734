import { describe, expect, it } from 'vitest';
import { MAX_ROWS_PER_STATEMENT, statementSizes } from './statement-sizes.js';

describe('statementSizes', () => {
  it('splits any number of rows into a few fixed statement sizes (each a prepared statement the store keeps)', () => {
    const sizes = new Set<number>();
    const wrong: number[] = [];
    for (let count = 1; count <= 3000; count += 1) {
      const parts = [...statementSizes(count, 500)];
      const sum = parts.reduce((total, part) => total + part, 0);
      if (sum !== count || parts.some((part) => part < 1 || part > MAX_ROWS_PER_STATEMENT)) wrong.push(count);
      for (const part of parts) sizes.add(part);
    }
    expect(wrong).toEqual([]);
    // Batches of every size share 1 + log2(MAX_ROWS_PER_STATEMENT) statements per table, not one per size.
    expect(sizes.size).toBeLessThanOrEqual(1 + Math.log2(MAX_ROWS_PER_STATEMENT));
  });

  it('keeps under the rows a statement may carry when that is fewer', () => {
    expect([...statementSizes(10, 3)]).toEqual([3, 3, 3, 1]);
    expect([...statementSizes(0, 3)]).toEqual([]);
  });
});
