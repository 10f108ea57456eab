// Translates many sources in length-sorted batches (less padding), returning results in input order.
import { type BeamOptions, beamSearch } from './beamSearch.js';
import type { Hypothesis } from './hypotheses.js';
import type { StepModel } from './stepModel.js';

export async function translateAll<S>(
  model: StepModel<S>,
  sources: number[][],
  opts: BeamOptions & { batchSize: number },
  onBatch?: (done: number) => void,
): Promise<Hypothesis[][]> {
  const order = sources.map((s, i) => ({ i, len: s.length })).sort((a, b) => a.len - b.len);
  const out: Hypothesis[][] = new Array(sources.length);
  for (let b = 0; b < order.length; b += opts.batchSize) {
    const chunk = order.slice(b, b + opts.batchSize);
    const batch = chunk.map((c) => sources[c.i]);
    // maxLength 0: a budget per batch from its longest source
    const results = await beamSearch(model, batch, { ...opts, maxLength: opts.maxLength || maxLengthFor(batch) });
    chunk.forEach((c, k) => (out[c.i] = results[k]));
    onBatch?.(chunk.length);
  }
  return out;
}

/** A length budget that grows with the source: 1.5 x source + 10 tokens, start token included. */
export function maxLengthFor(sources: number[][], cap = 256): number {
  return Math.min(cap, Math.ceil(1.5 * Math.max(1, ...sources.map((s) => s.length))) + 10);
}
