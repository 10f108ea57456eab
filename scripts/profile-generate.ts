// Where the generate stage's time goes, per piece of a chunk (src/stages/generateChunks.ts): the
// teacher's beam search (n-best), and its two teacher-forced runs (gold, Seq-KD), each split into
// onnxruntime's part (the forward pass, then top-k and log-normaliser: src/onnx/logitReductions.ts) and
// the JavaScript that turns those into soft targets.
// Run it on an idle machine, on a trained teacher and its pipeline's prepare folder:
//   npx tsx scripts/profile-generate.ts --teacher models/demo/teacher-* --prepare models/demo/prepare-* [--n 1000]
//     [--beam 5] [--batch 64] [--topk 8]
import { join } from 'node:path';

import { readAllLines } from '../src/data/textLines.js';
import { translateAll } from '../src/decode/translate.js';
import { softTargetsFromTopK } from '../src/distill/softTargetsFromTopK.js';
import { loadPipelineTokenizer } from '../src/runtime/pipelineTokenizer.js';
import { loadTranslationModel } from '../src/runtime/translationModel.js';
import { EOS } from '../src/tokenize/tokenizer.js';

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
};
const n = Number(arg('n', '1000'));
const beam = Number(arg('beam', '5'));
const batch = Number(arg('batch', '64'));
const topK = Number(arg('topk', '8'));

const tok = await loadPipelineTokenizer(arg('prepare'));
const data = join(arg('prepare'), 'data');
const sources = (await readAllLines(join(data, 'train.src'))).slice(0, n).map((s) => tok.encode(s));
const refs = (await readAllLines(join(data, 'train.tgt'))).slice(0, n);
const teacher = await loadTranslationModel(arg('teacher'), 'onnx', () => {});
const decoder = await teacher.decoder();
const onnx = decoder.onnx!;

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const t0 = performance.now();
const hyps = await translateAll(decoder.step, sources, {
  numBeams: beam,
  nbest: beam,
  lengthPenalty: 1,
  maxLength: 0,
  batchSize: batch,
  ...teacher.beamExtras,
});
const decodeSeconds = seconds(t0);

/** one forced run over all pairs in batches, onnxruntime's part and JavaScript's part timed apart */
async function forced(targets: number[][], sorted: boolean) {
  const order = sources.map((_, i) => i);
  if (sorted) order.sort((a, b) => sources[a].length + targets[a].length - (sources[b].length + targets[b].length));
  let ort = 0;
  let js = 0;
  let positions = 0;
  let padded = 0;
  for (let b = 0; b < order.length; b += batch) {
    const rows = order.slice(b, b + batch);
    let t = performance.now();
    const top = await onnx.forcedTopK(
      rows.map((i) => [...sources[i], EOS]),
      rows.map((i) => [onnx.decoderStartId, ...targets[i]]),
      topK,
    );
    ort += seconds(t);
    t = performance.now();
    const lengths = rows.map((i) => targets[i].length + 1);
    softTargetsFromTopK(top, top.steps, lengths, topK, 2);
    js += seconds(t);
    positions += lengths.reduce((s, l) => s + l, 0);
    padded += rows.length * top.steps;
  }
  return { ort, js, positions, padded };
}
const gold = refs.map((r) => tok.encode(r));
const seqkd = hyps.map((list) => tok.encode(tok.decode(list[0]?.tokens ?? [])));
const rows = [
  ['gold, in corpus order', await forced(gold, false)],
  ['Seq-KD, in corpus order', await forced(seqkd, false)],
  ['gold, sorted by length', await forced(gold, true)],
] as const;
process.stdout.write(
  `${n} sentences, beam ${beam}, batch ${batch}, top-${topK}, vocabulary ${onnx.vocabSize}\n` +
    `beam search (n-best ${beam}): ${decodeSeconds.toFixed(1)} s (${(n / decodeSeconds).toFixed(1)} sent/s)\n` +
    rows
      .map(
        ([name, r]) =>
          `forced ${name}: onnxruntime ${r.ort.toFixed(1)} s, JavaScript ${r.js.toFixed(1)} s; ${r.positions} target positions, ${r.padded} with padding`,
      )
      .join('\n') +
    '\n',
);
teacher.dispose();
