// Stage label (classification): the teacher's (trained here, or a pretrained ONNX export) logits and soft labels at temperature T
// for the training and transfer texts, in kd label's format (one JSON line per text:
// {"logits","probs","label"}), chunked so a killed run resumes at its last finished chunk.
import { join } from 'node:path';
import { loadClassifier } from '../runtime/classifier.js';
import { softmaxRows } from '../classify/predict.js';
import { countLines } from '../data/countLines.js';
import { readLines } from '../data/textLines.js';
import { AtomicLineWriter } from '../util/atomicWrite.js';
import { Progress } from '../util/progress.js';
import { mapFileInChunks, ResumableOutput } from '../data/resumableOutput.js';
import { readLabels } from './classifyPrepare.js';

export interface ClassifyLabelConfig { temperature: number; batchSize: number; chunk: number; backend?: string }

export async function run(config: ClassifyLabelConfig, inputs: { prepareDir: string; teacherDir: string }, outDir: string, log: (m: string) => void) {
  const labels = readLabels(inputs.prepareDir);
  const model = await loadClassifier(inputs.teacherDir, labels);
  const C = labels.length;
  const textsFile = join(outDir, 'train.txt'); // the training texts without labels: the teacher must not see them
  const textsOut = new AtomicLineWriter(textsFile);
  for await (const line of readLines(join(inputs.prepareDir, 'data', 'train.tsv'))) await textsOut.write(line.slice(line.indexOf('\t') + 1));
  await textsOut.commit();
  const counts: Record<string, number> = {};
  const started = performance.now();
  let peakRssMb = 0;
  for (const [name, input] of [['train', textsFile], ['transfer', join(inputs.prepareDir, 'data', 'transfer.txt')]] as const) {
    const out = new ResumableOutput(join(outDir, `${name}.jsonl`), config);
    const progress = new Progress(`label ${name}`, await countLines(input), 'ex');
    counts[name] = await mapFileInChunks(input, config.chunk, out, progress, async (lines) => {
      const logits = await model.logitsFor(lines, config.batchSize, (n) => progress.tick(n));
      const probs = softmaxRows(logits, C, config.temperature);
      return lines.map((_, i) => {
        const row = Array.from(logits.subarray(i * C, (i + 1) * C));
        const p = Array.from(probs.subarray(i * C, (i + 1) * C));
        return JSON.stringify({ logits: row, probs: p, label: labels[row.indexOf(Math.max(...row))] });
      });
    });
    peakRssMb = Math.max(peakRssMb, progress.peakRssMb);
  }
  model.dispose();
  const seconds = (performance.now() - started) / 1000;
  log(`label: ${counts.train + counts.transfer} texts in ${seconds.toFixed(1)} s, peak memory ${peakRssMb.toFixed(0)} MB`);
  return { counts, temperature: config.temperature, seconds, peakRssMb };
}
