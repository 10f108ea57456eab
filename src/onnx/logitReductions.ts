// What JavaScript keeps of a decoder's logits tensor, reduced on onnxruntime as it came out (its
// vectorised kernels on every core, no copy of the logits into JavaScript arrays):
// - the log-softmax of each row's last position (Gather, LogSoftmax), for step-by-step search: in
//   JavaScript this was a fifth of greedy decoding's time (320 rows x 8,000 tokens a step, ~13 ms
//   for 64 rows);
// - each position's top-k logits (TopK: largest first, the lower index first on ties) and its
//   log-normaliser (ReduceLogSumExp), for soft targets of teacher-forced runs: in JavaScript these
//   took ~215 ms of a 64-sentence batch of 25 positions over 8,000 tokens (~145 ms of it an exp per
//   vocabulary entry), about what the decoder run itself takes.
import { FLOAT, INT64, modelBytes, OnnxGraph } from '../graph/onnxGraph.js';
import { type Ort, type OrtSession, type OrtTensor, sessionOptions } from './ort.js';

export interface TopKResult {
  values: Float32Array; // [rows, steps, k], each position's largest logits, largest first
  indices: BigInt64Array; // [rows, steps, k], their vocabulary indices
  logZ: Float32Array; // [rows, steps], log(sum(exp(logits))) of each position
}

export class LogitReductions {
  private constructor(
    private readonly ort: Ort,
    private readonly lastStep: OrtSession,
    private readonly topKs: OrtSession,
  ) {}

  static async create(ort: Ort, threads: number): Promise<LogitReductions> {
    const last = new OnnxGraph('kd_last_step_log_softmax');
    last.input('logits', FLOAT, ['rows', 'steps', 'vocab']);
    last.input('last', INT64, []);
    last.op(
      'LogSoftmax',
      [last.op('Gather', ['logits', 'last'], { axis: { i: 1 } })],
      { axis: { i: -1 } },
      'log_probs',
    );
    last.output('log_probs', FLOAT, ['rows', 'vocab']);

    const top = new OnnxGraph('kd_top_k_and_log_normaliser');
    top.input('logits', FLOAT, ['rows', 'steps', 'vocab']);
    top.input('k', INT64, [1]);
    top.node('TopK', ['logits', 'k'], { axis: { i: -1 }, largest: { i: 1 }, sorted: { i: 1 } }, ['values', 'indices']);
    top.op('ReduceLogSumExp', ['logits'], { axes: { ints: [-1] }, keepdims: { i: 0 } }, 'log_z');
    top.output('values', FLOAT, ['rows', 'steps', 'k']);
    top.output('indices', INT64, ['rows', 'steps', 'k']);
    top.output('log_z', FLOAT, ['rows', 'steps']);

    const open = (g: OnnxGraph) => ort.InferenceSession.create(modelBytes(g), sessionOptions(threads));
    return new LogitReductions(ort, await open(last), await open(top));
  }

  /** logits [rows, steps, vocab] -> log-probabilities [rows, vocab] at the last step */
  async lastStepLogSoftmax(logits: OrtTensor): Promise<Float32Array> {
    const last = new this.ort.Tensor('int64', BigInt64Array.of(BigInt(logits.dims[1] - 1)), []);
    const out = await this.lastStep.run({ logits, last });
    return out.log_probs.data as Float32Array;
  }

  /** logits [rows, steps, vocab] (k <= vocab) -> each position's top-k logits and log-normaliser */
  async topK(logits: OrtTensor, k: number): Promise<TopKResult> {
    const out = await this.topKs.run({ logits, k: new this.ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]) });
    return {
      values: out.values.data as Float32Array,
      indices: out.indices.data as BigInt64Array,
      logZ: out.log_z.data as Float32Array,
    };
  }
}
