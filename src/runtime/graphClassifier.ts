// A trained classifier run on onnxruntime: the inference graph of src/models/classifierGraph.ts
// (for the Transformer, the export's own graph) with the weights as initializers. Training's dev
// accuracy, the label stage and eval use it, so a classifier is defined once and run one way
// (tfjs-wasm labelled ~240 texts/s with the demo's teacher on this machine).
import { quantizeGraph } from '../export/quantizeGraph.js';
import { modelBytes } from '../graph/onnxGraph.js';
import type { ClassifierConfig } from '../models/classifierConfig.js';
import { classifierGraph } from '../models/classifierGraph.js';
import { textFeatures } from '../models/classifierInputs.js';
import { loadTrainedClassifier } from '../models/load.js';
import { type TensorTable, weightsOf } from '../models/weights.js';
import { loadOrt, type Ort, type OrtSession, sessionOptions } from '../onnx/ort.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';

export class GraphClassifier {
  /** sizeBytes: the graph's size as a file (what kd export writes as onnx/model.onnx, or model_quantized.onnx) */
  private constructor(
    readonly config: ClassifierConfig,
    private readonly tokenizer: Tokenizer | null,
    private readonly ort: Ort,
    private readonly session: OrtSession,
    readonly sizeBytes: number,
  ) {}

  /** int8: the graph quantized as kd export --quantize int8 writes it (src/export/quantizeGraph.ts) */
  static async create(
    config: ClassifierConfig,
    tokenizer: Tokenizer | null,
    tensors: TensorTable,
    opts: { int8?: boolean } = {},
  ): Promise<GraphClassifier> {
    const ort = await loadOrt();
    const graph = classifierGraph(config, weightsOf(tensors));
    if (opts.int8) quantizeGraph(graph);
    const bytes = modelBytes(graph);
    const session = await ort.InferenceSession.create(bytes, sessionOptions());
    return new GraphClassifier(config, tokenizer, ort, session, bytes.length);
  }

  /** A train stage's folder: config.json, tokenizer.json (Transformer) and the `best` checkpoint. */
  static async load(dir: string, checkpoint = 'best', opts: { int8?: boolean } = {}): Promise<GraphClassifier> {
    const { config, tensors, tokenizer } = loadTrainedClassifier(dir, checkpoint);
    return GraphClassifier.create(config, tokenizer, tensors, opts);
  }

  /**
   * Row-major logits [texts.length, classes], in the texts' order. The texts run in batches of like
   * length (by characters), since a batch pads to its longest.
   */
  async logits(texts: string[], batchSize = 64, onBatch?: (n: number) => void): Promise<Float32Array> {
    const C = this.config.numClasses;
    const out = new Float32Array(texts.length * C);
    const order = [...texts.keys()].sort((a, b) => texts[a].length - texts[b].length);
    for (let i = 0; i < order.length; i += batchSize) {
      const rows = order.slice(i, i + batchSize);
      const feeds = textFeatures(
        this.ort,
        this.config,
        this.tokenizer,
        rows.map((r) => texts[r]),
      );
      const logits = (await this.session.run(feeds)).logits.data as Float32Array;
      rows.forEach((r, j) => out.set(logits.subarray(j * C, (j + 1) * C), r * C));
      onBatch?.(rows.length);
      await yieldToEventLoop();
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
