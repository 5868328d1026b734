/**
 * A commit graph held as integer-indexed arrays: each sha gets a number, each commit the list
 * of its parents' numbers in the order the edges were added. Walks are iterative (a 100,000
 * commit linear history would overflow a recursive one) and reuse two stamp arrays, so that a
 * walk costs what it visits and nothing is allocated per pair.
 */
export class CommitGraph {
  readonly #index = new Map<string, number>();
  readonly #shas: string[] = [];
  readonly #parents: number[][] = [];
  #oldStamp = new Uint32Array(0);
  #seenStamp = new Uint32Array(0);
  #walk = 0;

  /** Adds the edge child → parent (a repeated edge is ignored). */
  addEdge(child: string, parent: string): void {
    const parents = this.#parents[this.#node(child)]!;
    const parentNode = this.#node(parent);
    if (!parents.includes(parentNode)) parents.push(parentNode);
  }

  /** Whether `sha` is a commit of the graph (the child or the parent of an edge). */
  has(sha: string): boolean {
    return this.#index.has(sha);
  }

  get size(): number {
    return this.#shas.length;
  }

  /**
   * The commits reachable from `newSha` but not from `oldSha` (each includes itself), in
   * depth-first pre-order, parents in stored order: refdiff's `CalculateLostSha`. A `newSha`
   * outside the graph gives [newSha]; an `oldSha` outside it (or '') excludes nothing but itself.
   */
  commitsBetween(newSha: string, oldSha: string): string[] {
    if (newSha === oldSha) return [];
    const start = this.#index.get(newSha);
    if (start === undefined) return [newSha];
    this.#beginWalk();
    const walk = this.#walk;
    const old = this.#index.get(oldSha);
    if (old !== undefined) this.#markAncestors(old, walk);
    const found: string[] = [];
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (this.#oldStamp[node] === walk || this.#seenStamp[node] === walk) continue;
      this.#seenStamp[node] = walk;
      found.push(this.#shas[node]!);
      const parents = this.#parents[node]!;
      for (let position = parents.length - 1; position >= 0; position -= 1) stack.push(parents[position]!);
    }
    return found;
  }

  #markAncestors(from: number, walk: number): void {
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (this.#oldStamp[node] === walk) continue;
      this.#oldStamp[node] = walk;
      for (const parent of this.#parents[node]!) if (this.#oldStamp[parent] !== walk) stack.push(parent);
    }
  }

  #beginWalk(): void {
    if (this.#oldStamp.length < this.#shas.length) {
      this.#oldStamp = new Uint32Array(this.#shas.length);
      this.#seenStamp = new Uint32Array(this.#shas.length);
      this.#walk = 0;
    }
    this.#walk += 1;
  }

  #node(sha: string): number {
    let node = this.#index.get(sha);
    if (node === undefined) {
      node = this.#shas.length;
      this.#index.set(sha, node);
      this.#shas.push(sha);
      this.#parents.push([]);
    }
    return node;
  }
}
