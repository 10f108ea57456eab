// A training batch as the training graph's inputs (src/models/trainingGraph.ts): padded int64 ids,
// the source's attention mask, gold targets with per-position weights mask / count (every loss is
// a mean over the batch's target tokens), and the teacher's top-k soft targets where the loss uses them.
import type { SoftTargetLookup } from '../data/softTargets.js';
import type { Ort, OrtTensor } from '../onnx/ort.js';
import { PAD } from '../tokenize/tokenizer.js';
import type { Batch } from './batches.js';

function padded(rows: number[][], length: number): BigInt64Array {
  const out = new BigInt64Array(rows.length * length).fill(BigInt(PAD));
  rows.forEach((r, i) => r.forEach((id, j) => (out[i * length + j] = BigInt(id))));
  return out;
}

export function batchFeeds(
  ort: Ort,
  batch: Batch,
  kind: 'ce' | 'wordkd' | 'logitmse',
  soft?: SoftTargetLookup,
): Record<string, OrtTensor> {
  const B = batch.srcRows.length;
  const Ls = Math.max(1, ...batch.srcRows.map((r) => r.length));
  const Lt = Math.max(1, ...batch.tgtIn.map((r) => r.length));
  const N = B * Lt;
  const srcMask = new BigInt64Array(B * Ls);
  batch.srcRows.forEach((r, i) => srcMask.fill(1n, i * Ls, i * Ls + r.length));
  const gold = padded(batch.tgtOut, Lt);
  const tokens = batch.tgtOut.reduce((n, t) => n + t.length, 0);
  const weights = new Float32Array(N);
  batch.tgtOut.forEach((t, i) => weights.fill(1 / Math.max(tokens, 1), i * Lt, i * Lt + t.length));
  const feeds: Record<string, OrtTensor> = {
    training: new ort.Tensor('bool', [true], []),
    src_ids: new ort.Tensor('int64', padded(batch.srcRows, Ls), [B, Ls]),
    src_mask: new ort.Tensor('int64', srcMask, [B, Ls]),
    tgt_in: new ort.Tensor('int64', padded(batch.tgtIn, Lt), [B, Lt]),
    gold: new ort.Tensor('int64', gold, [N]),
    weights: new ort.Tensor('float32', weights, [N]),
  };
  if (kind === 'ce') return feeds;
  if (!soft) throw new Error(`loss '${kind}' needs soft targets`);
  const k = soft.manifest.topK;
  const ids = new BigInt64Array(N * k);
  const probs = new Float32Array(N * k);
  const logp = new Float32Array(N * k);
  const plogp = new Float32Array(N);
  batch.examples.forEach((e, b) => {
    const s = soft.get(e.index);
    if (s.length !== batch.tgtOut[b].length) {
      throw new Error(
        `soft targets of sentence ${e.index} have ${s.length} positions, the target has ${batch.tgtOut[b].length}`,
      );
    }
    const at = b * Lt * k;
    for (let j = 0; j < s.ids.length; j++) ids[at + j] = BigInt(s.ids[j]);
    probs.set(s.probs, at);
    logp.set(s.logProbs1, at);
    for (let pos = 0; pos < s.length; pos++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const p = s.probs[pos * k + j];
        sum += p * Math.log(Math.max(p, 1e-30));
      }
      plogp[b * Lt + pos] = sum;
    }
  });
  feeds.soft_ids = new ort.Tensor('int64', ids, [N, k]);
  if (kind === 'wordkd') {
    feeds.soft_probs = new ort.Tensor('float32', probs, [N, k]);
    feeds.soft_plogp = new ort.Tensor('float32', plogp, [N]);
  } else feeds.soft_logp = new ort.Tensor('float32', logp, [N, k]);
  return feeds;
}
