// A binary max-heap of (priority, key) with lazy deletion left to the caller: BPE training
// pushes a pair again whenever its count changes and skips stale entries when popping.
export class MaxHeap {
  private readonly prio: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.prio.length;
  }

  // ties go to the smaller key, so training is deterministic
  private above(i: number, j: number): boolean {
    return this.prio[i] > this.prio[j] || (this.prio[i] === this.prio[j] && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    [this.prio[i], this.prio[j]] = [this.prio[j], this.prio[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  push(priority: number, key: number): void {
    this.prio.push(priority);
    this.keys.push(key);
    let i = this.prio.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] | undefined {
    if (!this.prio.length) return undefined;
    const top: [number, number] = [this.prio[0], this.keys[0]];
    const lastP = this.prio.pop()!;
    const lastK = this.keys.pop()!;
    if (this.prio.length) {
      this.prio[0] = lastP;
      this.keys[0] = lastK;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.prio.length && this.above(l, best)) best = l;
        if (r < this.prio.length && this.above(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}
