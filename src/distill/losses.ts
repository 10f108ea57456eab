// Distillation losses on the student's logits, all averaged over the unmasked target positions.
//   crossEntropy: -log q(gold)
//   wordKd (Hinton et al. 2015; Kim & Rush 2016): a*CE + (1-a)*T^2*KL(p_T || q_T), with the
//     teacher's distribution p_T given as its top-k at temperature T (renormalised over the k);
//     T^2 keeps the soft term's gradients at the same scale as T changes.
//   logitMse (Caruana 2006; the T -> infinity limit of wordKd): mean squared difference between
//     student and teacher log-probabilities on the teacher's top-k (logits are shift-invariant,
//     so log-softmax is the comparable quantity).
import { tf } from '../engine/tf.js';

export interface SoftTargets {
  ids: tf.Tensor2D; // [N, k] int32: the teacher's top-k token ids per position
  probs: tf.Tensor2D; // [N, k] float32: teacher probabilities at temperature T (rows sum to 1)
}

/** Mean over masked positions; mask is [N] float (1 = real token). */
function maskedMean(perPosition: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.div(tf.sum(tf.mul(perPosition, mask)), tf.maximum(tf.sum(mask), 1));
}

/** crossEntropy(logits [N,V], gold [N] int32, mask [N]) -> scalar */
export function crossEntropy(logits: tf.Tensor2D, gold: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logq = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logq, tf.oneHot(gold, logits.shape[1])), 1) as tf.Tensor1D;
    return maskedMean(tf.neg(picked), mask);
  });
}

/** KL(p_T || q_T) per position, from top-k teacher probabilities. */
export function softKl(logits: tf.Tensor2D, soft: SoftTargets, temperature: number): tf.Tensor1D {
  return tf.tidy(() => {
    const logq = tf.logSoftmax(tf.div(logits, temperature)) as tf.Tensor2D;
    // gather each row's k entries through a one-hot product (tfjs-wasm lacks gather's gradient)
    const picked = tf.sum(tf.mul(tf.expandDims(logq, 1), tf.oneHot(soft.ids, logits.shape[1])), 2);
    const p = soft.probs;
    const plogp = tf.mul(p, tf.log(tf.maximum(p, 1e-30)));
    return tf.sum(tf.sub(plogp, tf.mul(p, picked)), 1) as tf.Tensor1D;
  });
}

/** wordKd(...) = alpha*CE + (1-alpha)*T^2*KL; alpha = 1 is plain CE, alpha = 0 pure distillation. */
export function wordKd(
  logits: tf.Tensor2D,
  gold: tf.Tensor1D,
  mask: tf.Tensor1D,
  soft: SoftTargets,
  opts: { alpha: number; temperature: number },
): tf.Scalar {
  return tf.tidy(() => {
    const kl = maskedMean(softKl(logits, soft, opts.temperature), mask);
    const soft_ = tf.mul(kl, (1 - opts.alpha) * opts.temperature ** 2);
    if (opts.alpha === 0) return soft_ as tf.Scalar;
    return tf.add(tf.mul(crossEntropy(logits, gold, mask), opts.alpha), soft_) as tf.Scalar;
  });
}

/** logitMse(logits, teacherLogProbs at T=1 on ids [N,k]) -> scalar */
export function logitMse(
  logits: tf.Tensor2D,
  ids: tf.Tensor2D,
  teacherLogProbs: tf.Tensor2D,
  mask: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const logq = tf.logSoftmax(logits) as tf.Tensor2D;
    const picked = tf.sum(tf.mul(tf.expandDims(logq, 1), tf.oneHot(ids, logits.shape[1])), 2);
    const perPos = tf.mean(tf.square(tf.sub(picked, teacherLogProbs)), 1) as tf.Tensor1D;
    return maskedMean(perPos, mask);
  });
}
