// Classifier training losses on logits [B, C], in tfjs: the reference the training graph's losses
// (src/models/classifierTrainingGraph.ts) are tested against. Examples of the transfer set have no
// gold label (gold -1): the gold terms average over the labelled examples only.
//   ce:        -log q(gold)
//   kd:        a*CE + (1-a)*T^2*KL(p_T || q_T), p_T = softmax(teacher logits / T) (Hinton et al. 2015)
//   logitmse:  mean squared difference of student and teacher log-softmax (Caruana 2006's logit
//              matching; log-softmax, because logits are shift-invariant)
//   annealed:  CE against lam*onehot(gold) + (1-lam)*p_1, lam going linearly from 0 to 1 over
//              training (BAM!, Clark et al. 2019); the teacher's alone where there is no gold
import { crossEntropy, logitMse, softKl } from '../distill/losses.js';
import { tf } from '../engine/tf.js';

export type { ClassifierLoss, ClassifierLossKind } from '../models/classifierConfig.js';
export { annealWeight } from '../models/classifierConfig.js';
import type { ClassifierLoss } from '../models/classifierConfig.js';
import { annealWeight } from '../models/classifierConfig.js';

export interface LossBatch {
  gold: number[]; // class id, or -1 for an unlabelled (transfer) example
  teacherLogits?: tf.Tensor2D; // [B, C]
}

/** The loss of one batch; `progress` (0..1) drives teacher annealing. */
export function classifierLoss(
  logits: tf.Tensor2D,
  batch: LossBatch,
  loss: ClassifierLoss,
  progress: number,
): tf.Scalar {
  return tf.tidy(() => {
    const [B, C] = logits.shape;
    const goldMask = tf.tensor1d(
      batch.gold.map((g) => (g >= 0 ? 1 : 0)),
      'float32',
    );
    const gold = tf.tensor1d(
      batch.gold.map((g) => Math.max(g, 0)),
      'int32',
    );
    if (loss.kind === 'ce') return crossEntropy(logits, gold, goldMask);
    if (!batch.teacherLogits) throw new Error(`loss '${loss.kind}' needs the teacher's logits`);
    const all = tf.tile(tf.range(0, C, 1, 'int32').reshape([1, C]), [B, 1]) as tf.Tensor2D;
    const ones = tf.ones([B]) as tf.Tensor1D;
    if (loss.kind === 'logitmse') return logitMse(logits, all, tf.logSoftmax(batch.teacherLogits) as tf.Tensor2D, ones);
    if (loss.kind === 'kd') {
      const T = loss.temperature;
      const probs = tf.softmax(tf.div(batch.teacherLogits, T)) as tf.Tensor2D;
      const soft = tf.mul(tf.mean(softKl(logits, { ids: all, probs }, T)), (1 - loss.alpha) * T * T);
      if (loss.alpha === 0) return soft as tf.Scalar;
      return tf.add(soft, tf.mul(crossEntropy(logits, gold, goldMask), loss.alpha)) as tf.Scalar;
    }
    const lam = tf.mul(goldMask, annealWeight(progress, 1)).reshape([B, 1]);
    const target = tf.add(tf.mul(lam, tf.oneHot(gold, C)), tf.mul(tf.sub(1, lam), tf.softmax(batch.teacherLogits)));
    return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}
