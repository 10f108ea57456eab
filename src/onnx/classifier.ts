// A sequence classifier exported to ONNX (Hugging Face layout: onnx/model.onnx taking input_ids,
// attention_mask and, for BERT, token_type_ids; giving logits), run by onnxruntime-node.
import { type ModelDir, openModelDir } from './modelDir.js';
import type { DtypeChoice } from './onnxFiles.js';
import { loadOrt, openSession, type Ort, type OrtSession, type OrtTensor, paddedIds } from './ort.js';

export class OnnxClassifier {
  private constructor(
    readonly modelDir: ModelDir,
    private readonly ort: Ort,
    private readonly session: OrtSession,
  ) {}

  /** dtype: which precision's model file (default: fp32 where there is one, else a quantized one) */
  static async load(dir: string, threads?: number, dtype: DtypeChoice = 'auto'): Promise<OnnxClassifier> {
    const md = openModelDir(dir, { dtype });
    if (md.kind !== 'classifier')
      throw new Error(`${dir}: config.json describes a translation model, not a classifier`);
    return new OnnxClassifier(md, await loadOrt(), await openSession(md.onnx.model!, threads));
  }

  get labels(): string[] {
    return this.modelDir.labels!;
  }

  get padId(): number {
    return Number(this.modelDir.config.pad_token_id ?? 0);
  }

  /** Logits, one row of labels.length per input. */
  async logits(batch: number[][]): Promise<Float32Array[]> {
    const { ids, mask, length } = paddedIds(this.ort, batch, this.padId);
    const feeds: Record<string, OrtTensor> = { input_ids: ids, attention_mask: mask };
    if (this.session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new this.ort.Tensor('int64', new BigInt64Array(batch.length * length), [
        batch.length,
        length,
      ]);
    }
    const out = await this.session.run(feeds);
    const logits = (out.logits ?? Object.values(out)[0]).data as Float32Array;
    const n = this.labels.length;
    if (logits.length !== batch.length * n)
      throw new Error(
        `${this.modelDir.onnx.model}: gave ${logits.length} logits for ${batch.length} inputs and ${n} labels`,
      );
    return batch.map((_, i) => logits.slice(i * n, (i + 1) * n));
  }
}
