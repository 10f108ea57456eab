// What soft targets keep of a teacher-forced run, on onnxruntime: the top-k logits of every
// position (TopK: largest first, the lower index first on ties) and the log-normaliser over the
// vocabulary (ReduceLogSumExp), from the decoder's logits tensor as it came out. In JavaScript the
// normaliser (an exp per vocabulary entry) and the top-k scan took ~215 ms of a 64-sentence batch
// of 25 positions over 8,000 tokens (measured; ~145 ms of it the exps), about what the decoder
// run itself takes; onnxruntime's kernels do both in a fraction of that.
import { FLOAT, INT64, modelBytes, OnnxGraph } from '../graph/onnxGraph.js';
import { type Ort, type OrtSession, type OrtTensor, sessionOptions } from './ort.js';

export interface ForcedTopKResult {
  values: Float32Array; // [rows, steps, k], each position's largest logits, largest first
  indices: BigInt64Array; // [rows, steps, k], their vocabulary indices
  logZ: Float32Array; // [rows, steps], log(sum(exp(logits))) of each position
}

export class ForcedTopK {
  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
  ) {}

  static async create(ort: Ort, threads: number): Promise<ForcedTopK> {
    const g = new OnnxGraph('kd_forced_top_k');
    g.input('logits', FLOAT, ['rows', 'steps', 'vocab']);
    g.input('k', INT64, [1]);
    g.node('TopK', ['logits', 'k'], { axis: { i: -1 }, largest: { i: 1 }, sorted: { i: 1 } }, ['values', 'indices']);
    g.op('ReduceLogSumExp', ['logits'], { axes: { ints: [-1] }, keepdims: { i: 0 } }, 'log_z');
    g.output('values', FLOAT, ['rows', 'steps', 'k']);
    g.output('indices', INT64, ['rows', 'steps', 'k']);
    g.output('log_z', FLOAT, ['rows', 'steps']);
    const session = await ort.InferenceSession.create(modelBytes(g), sessionOptions(threads));
    return new ForcedTopK(ort, session);
  }

  /** logits [rows, steps, vocab] (k <= vocab) */
  async run(logits: OrtTensor, k: number): Promise<ForcedTopKResult> {
    const out = await this.session.run({ logits, k: new this.ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]) });
    return {
      values: out.values.data as Float32Array,
      indices: out.indices.data as BigInt64Array,
      logZ: out.log_z.data as Float32Array,
    };
  }
}
