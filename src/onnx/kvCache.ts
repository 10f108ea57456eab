// The decoder's KV cache across beam-search steps. The StepModel interface hands over prefixes,
// not beam back-pointers, so each row finds its parent as the previous step's row of the same source
// whose prefix is its own minus the last token, and its past is gathered from that row.
import type { Ort, OrtTensor } from './ort.js';
import { gatherRows, type Rows } from './rows.js';

export class KvCache {
  private past = new Map<string, Rows>(); // 'past_key_values.0.decoder.key' -> rows of the previous step
  private fed = new Map<string, Rows>(); // this step's pasts, as fed to the decoder
  private rowOfPrefix = new Map<string, number>();
  private sources = ''; // the previous step's row sources

  /** Parent row of every prefix, or null when some prefix has none (then the full decoder runs). */
  parentsOf(sourceIndex: Int32Array, prefixes: number[][]): number[] | null {
    if (this.past.size === 0) return null;
    const parents: number[] = [];
    for (let r = 0; r < prefixes.length; r++) {
      const parent = this.rowOfPrefix.get(rowKey(sourceIndex[r], prefixes[r].slice(0, -1)));
      if (parent === undefined) return null;
      parents.push(parent);
    }
    return parents;
  }

  /**
   * Every past gathered by parent, skipping the gather where it would copy rows onto themselves:
   * when each row continues the row at its own index (greedy search), or, for the encoder's keys
   * and values (one per source), when the rows' sources are the previous step's.
   */
  pastFeeds(ort: Ort, sourceIndex: Int32Array, parents: number[]): Record<string, OrtTensor> {
    const identity = parents.length === this.rowCount() && parents.every((p, r) => p === r);
    const sameSources = sourceIndex.join(',') === this.sources;
    this.fed = new Map();
    const feeds: Record<string, OrtTensor> = {};
    for (const [name, past] of this.past) {
      const rows = identity || (sameSources && name.includes('.encoder.')) ? past : gatherRows(past, parents);
      this.fed.set(name, rows);
      feeds[name] = new ort.Tensor('float32', rows.data, [...rows.dims]);
    }
    return feeds;
  }

  /**
   * Keeps this step's presents as the next step's pasts. A with-past decoder may not output the
   * encoder's keys and values (they never change): those carry over as fed this step.
   */
  update(outputs: Record<string, OrtTensor>, sourceIndex: Int32Array, prefixes: number[][], carryFed: boolean): void {
    const next = new Map<string, Rows>();
    for (const [name, tensor] of Object.entries(outputs)) {
      if (name.startsWith('present.'))
        next.set(`past_key_values.${name.slice('present.'.length)}`, {
          data: tensor.data as Float32Array,
          dims: tensor.dims,
        });
    }
    if (carryFed) for (const [name, rows] of this.fed) if (!next.has(name)) next.set(name, rows);
    this.past = next;
    this.fed = new Map();
    this.sources = sourceIndex.join(',');
    this.rowOfPrefix = new Map(prefixes.map((p, r) => [rowKey(sourceIndex[r], p), r]));
  }

  private rowCount(): number {
    const first = this.past.values().next().value;
    return first ? first.dims[0] : 0;
  }
}

/** A row is its source and its prefix: two sources may share a prefix, two beams of one may not. */
function rowKey(source: number, prefix: number[]): string {
  return `${source}:${prefix.join(' ')}`;
}
