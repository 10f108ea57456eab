// Stage label (classification): the teacher's (trained here, or a pretrained ONNX export; with an
// n-gram member, the ensemble's mean log-probabilities: ../runtime/classifierEnsemble.ts) logits
// for the training and transfer texts, one JSON line per text ({"logits","label"}), chunked so a
// killed run resumes at its last finished chunk. Each KD student applies its own temperature to
// the logits (kd.temperatures), so nothing here depends on one (kd label -T writes probabilities
// at a temperature for people).
import { join } from 'node:path';

import { countLines } from '../data/countLines.js';
import { mapFileInChunks, ResumableOutput } from '../data/resumableOutput.js';
import { readLines } from '../data/textLines.js';
import { loadClassifiers } from '../runtime/classifierEnsemble.js';
import { AtomicLineWriter } from '../util/atomicWrite.js';
import { Progress } from '../util/progress.js';
import { readLabels } from './classifyPrepare.js';

export interface ClassifyLabelConfig {
  batchSize: number;
  chunk: number;
  backend?: string;
}

export async function run(
  config: ClassifyLabelConfig,
  inputs: { prepareDir: string; teacherDirs: string[] },
  outDir: string,
  log: (m: string) => void,
) {
  const labels = readLabels(inputs.prepareDir);
  const model = await loadClassifiers(inputs.teacherDirs, labels);
  const C = labels.length;
  const textsFile = join(outDir, 'train.txt'); // the training texts without labels: the teacher must not see them
  const textsOut = new AtomicLineWriter(textsFile);
  for await (const line of readLines(join(inputs.prepareDir, 'data', 'train.tsv')))
    await textsOut.write(line.slice(line.indexOf('\t') + 1));
  await textsOut.commit();
  const counts: Record<string, number> = {};
  const started = performance.now();
  let peakRssMb = 0;
  for (const [name, input] of [
    ['train', textsFile],
    ['transfer', join(inputs.prepareDir, 'data', 'transfer.txt')],
  ] as const) {
    const out = new ResumableOutput(join(outDir, `${name}.jsonl`), config);
    const progress = new Progress(`label ${name}`, await countLines(input), 'ex');
    counts[name] = await mapFileInChunks(input, config.chunk, out, progress, async (lines) => {
      const logits = await model.logitsFor(lines, config.batchSize, (n) => progress.tick(n));
      return lines.map((_, i) => {
        const row = Array.from(logits.subarray(i * C, (i + 1) * C));
        return JSON.stringify({ logits: row, label: labels[row.indexOf(Math.max(...row))] });
      });
    });
    peakRssMb = Math.max(peakRssMb, progress.peakRssMb);
  }
  model.dispose();
  const seconds = (performance.now() - started) / 1000;
  log(
    `label: ${counts.train + counts.transfer} texts in ${seconds.toFixed(1)} s, peak memory ${peakRssMb.toFixed(0)} MB`,
  );
  return { counts, seconds, peakRssMb };
}
