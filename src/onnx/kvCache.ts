// The decoder's KV cache across beam-search steps. The StepModel interface hands over prefixes,
// not beam back-pointers, so each row finds its parent as the previous step's row of the same source
// whose prefix is its own minus the last token, and its past is gathered from that row.
import type { Ort, OrtTensor } from './ort.js';

interface Past { data: Float32Array; dims: readonly number[] }

export class KvCache {
  private past = new Map<string, Past>(); // 'past_key_values.0.decoder.key' -> rows of the previous step
  private rowOfPrefix = new Map<string, number>();
  private sources = '';        // the previous step's row sources
  private pendingSources = ''; // this step's

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

  pastFeeds(ort: Ort, parents: number[], inputNames: readonly string[]): Record<string, OrtTensor> {
    const feeds: Record<string, OrtTensor> = {};
    for (const name of inputNames) {
      const past = this.past.get(name);
      if (!past) continue;
      const rows = this.reuses(name, parents) ? past : gatherRows(past, parents);
      feeds[name] = new ort.Tensor('float32', rows.data, [...rows.dims]);
    }
    return feeds;
  }

  /**
   * A past needs no gather when every row continues the row at its own index (greedy search), or,
   * for the encoder's keys and values (one per source), when the rows' sources are unchanged.
   */
  private reuses(name: string, parents: number[]): boolean {
    const rows = this.past.get(name)!.dims[0];
    if (rows === parents.length && parents.every((p, r) => p === r)) return true;
    return name.includes('.encoder.') && this.sources === this.pendingSources;
  }

  /** Call before pastFeeds: the sources of the rows about to run. */
  beginStep(sourceIndex: Int32Array): void {
    this.pendingSources = sourceIndex.join(',');
  }

  /**
   * Keeps this step's presents as the next step's pasts. A with-past decoder may not output the
   * encoder's keys and values (they never change): those are carried over, regathered by parent.
   */
  update(outputs: Record<string, OrtTensor>, sourceIndex: Int32Array, prefixes: number[][], parents: number[] | null): void {
    const next = new Map<string, Past>();
    for (const [name, tensor] of Object.entries(outputs)) {
      if (name.startsWith('present.')) next.set(`past_key_values.${name.slice('present.'.length)}`, { data: tensor.data as Float32Array, dims: tensor.dims });
    }
    if (parents) {
      for (const [name, past] of this.past) {
        if (!next.has(name)) next.set(name, this.reuses(name, parents) ? past : gatherRows(past, parents));
      }
    }
    this.past = next;
    this.sources = sourceIndex.join(',');
    this.rowOfPrefix = new Map(prefixes.map((p, r) => [rowKey(sourceIndex[r], p), r]));
  }
}

/** A row is its source and its prefix: two sources may share a prefix, two beams of one may not. */
function rowKey(source: number, prefix: number[]): string {
  return `${source}:${prefix.join(' ')}`;
}

/** Rows of a [rows, ...] tensor picked by index along the first axis. */
function gatherRows(past: Past, rows: number[]): Past {
  const rowSize = past.data.length / past.dims[0];
  const data = new Float32Array(rows.length * rowSize);
  rows.forEach((p, r) => data.set(past.data.subarray(p * rowSize, (p + 1) * rowSize), r * rowSize));
  return { data, dims: [rows.length, ...past.dims.slice(1)] };
}
