// The training loss of one batch, by kind: CE on the batch's targets (gold or a pseudo-corpus),
// Word-KD against soft targets, or logit matching. Soft targets are read per sentence by line index.
import type { SoftTargetLookup } from '../data/softTargets.js';
import { crossEntropy, logitMse, wordKd } from '../distill/losses.js';
import { tf } from '../engine/tf.js';
import { padBatch } from '../models/tfStepModel.js';
import type { Transformer } from '../models/transformer.js';
import type { Batch } from './batches.js';

export interface LossConfig {
  kind: 'ce' | 'wordkd' | 'logitmse';
  alpha: number; // wordkd: weight of CE (default 0.5)
  temperature: number; // wordkd: must equal the soft targets' T
}

/** Soft targets of a batch as [B*Lt, k] tensors aligned with the padded targets. */
function softTensors(batch: Batch, reader: SoftTargetLookup, Lt: number) {
  const k = reader.manifest.topK;
  const n = batch.examples.length * Lt;
  const ids = new Int32Array(n * k);
  const probs = new Float32Array(n * k);
  const logp = new Float32Array(n * k);
  batch.examples.forEach((e, b) => {
    const s = reader.get(e.index);
    if (s.length !== batch.tgtOut[b].length) {
      throw new Error(
        `soft targets of sentence ${e.index} have ${s.length} positions, the target has ${batch.tgtOut[b].length}`,
      );
    }
    ids.set(s.ids, b * Lt * k);
    probs.set(s.probs, b * Lt * k);
    logp.set(s.logProbs1, b * Lt * k);
  });
  return { ids: tf.tensor2d(ids, [n, k], 'int32'), probs: tf.tensor2d(probs, [n, k]), logp: tf.tensor2d(logp, [n, k]) };
}

export function batchLoss(model: Transformer, batch: Batch, loss: LossConfig, soft?: SoftTargetLookup): tf.Scalar {
  const src = padBatch(batch.srcRows);
  const tgtIn = padBatch(batch.tgtIn);
  const Lt = tgtIn.shape[1];
  const gold = tf.reshape(padBatch(batch.tgtOut, Lt), [-1]) as tf.Tensor1D;
  const mask = tf.cast(tf.notEqual(gold, 0), 'float32') as tf.Tensor1D;
  const logits = model.logits(src, tgtIn, true);
  if (loss.kind === 'ce') return crossEntropy(logits, gold, mask);
  if (!soft) throw new Error(`loss '${loss.kind}' needs soft targets`);
  const st = softTensors(batch, soft, Lt);
  if (loss.kind === 'wordkd') return wordKd(logits, gold, mask, { ids: st.ids, probs: st.probs }, loss);
  return logitMse(logits, st.ids, st.logp, mask);
}
