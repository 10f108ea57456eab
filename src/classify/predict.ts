// Batched inference: class logits for many texts, a batch at a time.
import { tf } from '../engine/tf.js';
import type { TextClassifier } from './textClassifier.js';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';

/** Row-major logits [texts.length, C]. */
export async function classifyLogits(model: TextClassifier, texts: string[], batchSize: number, onBatch?: (n: number) => void): Promise<Float32Array> {
  const C = model.config.numClasses;
  const out = new Float32Array(texts.length * C);
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const logits = tf.tidy(() => model.logits(batch, false));
    out.set(await logits.data(), i * C);
    logits.dispose();
    onBatch?.(batch.length);
    await yieldToEventLoop();
  }
  return out;
}

/** softmax(logits / T) of each row of length C. */
export function softmaxRows(logits: Float32Array, C: number, T = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length; r += C) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[r + c] / T);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += (out[r + c] = Math.exp(logits[r + c] / T - max));
    for (let c = 0; c < C; c++) out[r + c] /= sum;
  }
  return out;
}
