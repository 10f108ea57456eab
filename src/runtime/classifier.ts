// One way to run a classifier the pipeline holds, whether it trained it (a kd checkpoint folder)
// or was given it (a Hugging Face ONNX export: onnx/model.onnx, config.json, tokenizer.json,
// tokenized by transformers.js and run on onnxruntime). The label and eval stages use this, so a
// pretrained teacher takes the trained teacher's place without either stage knowing which it is.
import { classifierParameterCount } from '../models/classifierConfig.js';
import { hasOnnxModel } from '../onnx/onnxFiles.js';
import { GraphClassifier } from './graphClassifier.js';

export interface LoadedClassifier {
  params: number | null; // null where the export does not say
  sizeBytes: number | null; // its ONNX graph as a file; null for a pretrained export (its files are its own)
  /** Row-major logits [texts.length, classes], classes in the dataset's label order. */
  logitsFor(texts: string[], batchSize: number, onBatch?: (n: number) => void): Promise<Float32Array>;
  dispose(): void;
}

/** an ONNX export (onnx/ or top-level layout, any precision) rather than a train stage's folder */
export const isOnnxClassifierDir = (dir: string) => hasOnnxModel(dir, 'classifier');

/** opts.int8: a trained classifier's int8 graph (the eval stage's quantized rows; not for pretrained exports) */
export async function loadClassifier(
  dir: string,
  labels: string[],
  opts: { int8?: boolean } = {},
): Promise<LoadedClassifier> {
  if (!isOnnxClassifierDir(dir)) {
    const model = await GraphClassifier.load(dir, 'best', opts);
    if (model.config.numClasses !== labels.length)
      throw new Error(`${dir}: a classifier of ${model.config.numClasses} classes, the dataset has ${labels.length}`);
    return {
      params: classifierParameterCount(model.config),
      sizeBytes: model.sizeBytes,
      logitsFor: (texts, b, on) => model.logits(texts, b, on),
      dispose: () => void model.release(),
    };
  }
  if (opts.int8)
    throw new Error(
      `${dir}: int8 evaluation is for trained classifiers (a pretrained export's quantized file loads with kd label --dtype q8)`,
    );
  const { OnnxClassifier } = await import('../onnx/classifier.js');
  const { loadHfTokenizer } = await import('../onnx/hfTokenizer.js');
  const model = await OnnxClassifier.load(dir);
  if (model.labels.join('\n') !== labels.join('\n')) {
    throw new Error(
      `${dir}/config.json: id2label (${model.labels.join(', ')}) differs from the dataset's labels (${labels.join(', ')})`,
    );
  }
  const tok = await loadHfTokenizer(dir, { maxLength: Number(model.modelDir.config.max_position_embeddings ?? 512) });
  return {
    params: null,
    sizeBytes: null,
    logitsFor: async (texts, batchSize, onBatch) => {
      const out = new Float32Array(texts.length * labels.length);
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize);
        (await model.logits(batch.map((t) => tok.encode(t)))).forEach((row, j) =>
          out.set(row, (i + j) * labels.length),
        );
        onBatch?.(batch.length);
      }
      return out;
    },
    dispose: () => {},
  };
}
