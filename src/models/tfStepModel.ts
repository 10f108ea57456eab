// The tfjs Transformer as a beam-search StepModel. Without a KV cache, each step re-runs the
// decoder over the whole prefix (cost grows with the square of the length; fine at the
// lengths of these corpora, and the throughput issue measures it).
import type { StepModel } from '../decode/stepModel.js';
import { tf } from '../engine/tf.js';
import { BOS, EOS, PAD } from '../tokenize/tokenizer.js';
import { Transformer } from './transformer.js';

interface EncodedBatch {
  memory: tf.Tensor3D;
  mask: tf.Tensor4D;
}

export class TfStepModel implements StepModel<EncodedBatch> {
  readonly decoderStartId = BOS;
  readonly eosId = EOS;
  readonly padId = PAD;

  constructor(private readonly model: Transformer) {}

  get vocabSize(): number {
    return this.model.config.vocabSize;
  }

  async start(sources: number[][]): Promise<EncodedBatch> {
    const src = padBatch(sources.map((s) => [...s, EOS]));
    return tf.tidy(() => {
      const mask = Transformer.paddingMask(src);
      return { memory: this.model.encode(src, mask), mask };
    });
  }

  async logProbs(state: EncodedBatch, sourceIndex: Int32Array, prefixes: number[][]): Promise<Float32Array> {
    const rows = tf.tidy(() => {
      const idx = tf.tensor1d(sourceIndex, 'int32');
      const memory = tf.gather(state.memory, idx) as tf.Tensor3D;
      const mask = tf.gather(state.mask, idx) as tf.Tensor4D;
      // prefixes of one step have equal length: no target padding needed
      const tgt = tf.tensor2d(prefixes, undefined, 'int32');
      const states = this.model.decodeStates(memory, mask, tgt);
      const last = tf.reshape(tf.slice(states, [0, tgt.shape[1] - 1, 0], [-1, 1, -1]), [
        prefixes.length,
        -1,
      ]) as tf.Tensor2D;
      return tf.logSoftmax(this.model.project(last));
    });
    const data = (await rows.data()) as Float32Array;
    rows.dispose();
    return data;
  }

  finish(state: EncodedBatch): void {
    state.memory.dispose();
    state.mask.dispose();
  }
}

/** Right-pads id lists with PAD into an int32 [B, maxLen] tensor. */
export function padBatch(rows: number[][], length?: number): tf.Tensor2D {
  const L = length ?? Math.max(1, ...rows.map((r) => r.length));
  const data = new Int32Array(rows.length * L);
  rows.forEach((r, i) => data.set(r.slice(0, L), i * L));
  return tf.tensor2d(data, [rows.length, L], 'int32');
}
