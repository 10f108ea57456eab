// kd label: a classifier's logits and soft labels (softmax at temperature T) for every line of a
// file, batched and chunked (resumable), one JSON line per input: {"logits","probs","label"}.
import { countLines } from '../data/countLines.js';
import { chunkedOutput, mapFileInChunks } from '../data/resumableOutput.js';
import { OnnxClassifier } from '../onnx/classifier.js';
import { loadHfTokenizer } from '../onnx/hfTokenizer.js';
import type { DtypeChoice } from '../onnx/onnxFiles.js';
import { Progress } from '../util/progress.js';
import { softmaxAt } from '../util/softmax.js';

export interface LabelFileOptions {
  model: string;
  input: string;
  output: string;
  temperature: number;
  batchSize: number;
  chunkLines: number;
  maxLength?: number;
  threads?: number;
  /** which precision's model file (default auto: fp32 where present, else a quantized one) */
  dtype?: DtypeChoice;
}

export async function labelFile(
  opts: LabelFileOptions,
  log: (m: string) => void,
): Promise<{ lines: number; seconds: number; peakRssMb: number }> {
  if (!(opts.temperature > 0)) throw new Error(`--temperature must be > 0, got ${opts.temperature}`);
  const model = await OnnxClassifier.load(opts.model, opts.threads, opts.dtype);
  const maxLength = opts.maxLength ?? Number(model.modelDir.config.max_position_embeddings ?? 512);
  const tok = await loadHfTokenizer(opts.model, { maxLength });
  log(
    `label: ${opts.model} (${model.modelDir.dtype}), ${model.labels.length} labels (${model.labels.join(', ')}), T = ${opts.temperature}, max length ${maxLength}`,
  );
  const out = chunkedOutput(opts.output, {
    ...opts,
    output: undefined,
    threads: undefined,
    maxLength,
    dtype: model.modelDir.dtype,
  });
  const progress = new Progress('label', opts.input === '-' ? 0 : await countLines(opts.input), 'ex');
  const lines = await mapFileInChunks(opts.input, opts.chunkLines, out, progress, async (chunk) => {
    const rows: string[] = [];
    for (let b = 0; b < chunk.length; b += opts.batchSize) {
      const texts = chunk.slice(b, b + opts.batchSize);
      const logits = await model.logits(texts.map((t) => tok.encode(t)));
      for (const row of logits) {
        rows.push(
          JSON.stringify({
            logits: Array.from(row),
            probs: softmaxAt(row, opts.temperature),
            label: model.labels[argmax(row)],
          }),
        );
      }
      progress.tick(texts.length);
    }
    return rows;
  });
  log(
    `label: ${lines} lines in ${progress.seconds.toFixed(1)} s (${progress.rate.toFixed(1)} ex/s), peak memory ${progress.peakRssMb.toFixed(0)} MB -> ${opts.output}`,
  );
  return { lines, seconds: progress.seconds, peakRssMb: progress.peakRssMb };
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}
