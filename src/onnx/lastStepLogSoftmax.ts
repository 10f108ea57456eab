// The log-softmax of each row's last decoder position, on onnxruntime: a two-node graph (Gather
// the last step, LogSoftmax) fed the decoder's logits tensor as it came out. In JavaScript this
// was a fifth of greedy decoding's time (measured: 320 rows x 8,000 tokens a step, ~13 ms for 64
// rows); onnxruntime's vectorised kernel on every core takes a fraction of that.
import { FLOAT, INT64, modelBytes, OnnxGraph } from '../graph/onnxGraph.js';
import { type Ort, type OrtSession, type OrtTensor, sessionOptions } from './ort.js';

export class LastStepLogSoftmax {
  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
  ) {}

  static async create(ort: Ort, threads: number): Promise<LastStepLogSoftmax> {
    const g = new OnnxGraph('kd_last_step_log_softmax');
    g.input('logits', FLOAT, ['rows', 'steps', 'vocab']);
    g.input('last', INT64, []);
    g.op('LogSoftmax', [g.op('Gather', ['logits', 'last'], { axis: { i: 1 } })], { axis: { i: -1 } }, 'log_probs');
    g.output('log_probs', FLOAT, ['rows', 'vocab']);
    const session = await ort.InferenceSession.create(modelBytes(g), sessionOptions(threads));
    return new LastStepLogSoftmax(ort, session);
  }

  /** logits [rows, steps, vocab] -> log-probabilities [rows, vocab] at the last step */
  async run(logits: OrtTensor): Promise<Float32Array> {
    const last = new this.ort.Tensor('int64', BigInt64Array.of(BigInt(logits.dims[1] - 1)), []);
    const out = await this.session.run({ logits, last });
    return out.log_probs.data as Float32Array;
  }
}
