// Stage teacher-lp: the length penalty the generate stage decodes the pseudo-targets with, chosen
// on the dev set (generate.lengthPenaltyChoices). The teacher decodes the first devSentences dev
// sources at generate's beam once per candidate, each output is scored sacreBLEU-exact against the
// references, and the best BLEU wins (a tie: the candidate listed first). Promise: result.json with
// the chosen lengthPenalty and every candidate's BLEU and length ratio.
// Why tune it per teacher: how long a teacher's beam output runs at a given penalty is the
// teacher's own (kd demo's teacher of session 10 was short at 1.0, brevity penalty 0.80 on dev;
// session 12's was not, length ratio 0.985 on test), and students learn the length of their
// pseudo-targets: taught that second teacher's output at 1.5 (its Seq-KD targets 7.5% longer than
// the references), the Seq-KD and Seq-Inter students wrote 1.04-1.30x the references' length and
// each lost 1.1 BLEU to the baseline over three seeds (eval/ddtp-en-de/NOTES.md).
import { join } from 'node:path';

import { readAllLines } from '../data/textLines.js';
import { initBackend } from '../engine/tf.js';
import { Bleu } from '../metrics/index.js';
import { loadPipelineTokenizer } from '../runtime/pipelineTokenizer.js';
import { loadTranslationModel, translateTexts } from '../runtime/translationModel.js';
import { writeJsonAtomic } from '../util/atomicWrite.js';
import { Progress } from '../util/progress.js';

export interface TuneLengthPenaltyConfig {
  choices: number[];
  beam: number;
  maxLength: number; // 0 = 1.5 x source + 10, as generate
  batchSize: number;
  engine: string;
  devSentences: number;
  backend?: string;
}

export interface LengthPenaltyTrial {
  lengthPenalty: number;
  bleu: number;
  lengthRatio: number; // hypothesis tokens / reference tokens (13a), as sacreBLEU's "ratio"
}

export interface TunedLengthPenalty {
  lengthPenalty: number;
  sentences: number;
  trials: LengthPenaltyTrial[];
  signature: string;
}

/** The best trial by BLEU; the first listed among equals. */
export function bestTrial(trials: LengthPenaltyTrial[]): LengthPenaltyTrial {
  if (!trials.length) throw new Error('no length penalty to choose from');
  return trials.reduce((best, t) => (t.bleu > best.bleu ? t : best));
}

export async function run(
  config: TuneLengthPenaltyConfig,
  inputs: { prepareDir: string; teacherDir: string },
  outDir: string,
  log: (m: string) => void,
): Promise<TunedLengthPenalty> {
  if (config.engine === 'tfjs') await initBackend(config.backend, log);
  const tok = await loadPipelineTokenizer(inputs.prepareDir);
  const dev = join(inputs.prepareDir, 'data', 'dev');
  const src = (await readAllLines(`${dev}.src`)).slice(0, config.devSentences).map((s) => tok.encode(s));
  const refs = (await readAllLines(`${dev}.tgt`)).slice(0, src.length);
  const bleu = new Bleu();
  const teacher = await loadTranslationModel(inputs.teacherDir, config.engine, log);
  const trials: LengthPenaltyTrial[] = [];
  try {
    for (const lengthPenalty of config.choices) {
      const progress = new Progress(`teacher-lp ${lengthPenalty}`, src.length, 'sent');
      const text = await translateTexts(
        teacher,
        (ids) => tok.decode(ids),
        src,
        { numBeams: config.beam, lengthPenalty, maxLength: config.maxLength, batchSize: config.batchSize },
        (n) => progress.tick(n),
      );
      progress.finish();
      const s = bleu.corpus(text, [refs]);
      const trial = { lengthPenalty, bleu: s.score, lengthRatio: s.refLen ? s.sysLen / s.refLen : 0 };
      trials.push(trial);
      log(
        `[teacher-lp] length penalty ${lengthPenalty}: dev BLEU ${trial.bleu.toFixed(2)}, length ratio ${trial.lengthRatio.toFixed(3)}`,
      );
    }
  } finally {
    teacher.dispose();
  }
  const best = bestTrial(trials);
  log(`[teacher-lp] chosen: ${best.lengthPenalty} (dev BLEU ${best.bleu.toFixed(2)} on ${src.length} sentences)`);
  const result = { lengthPenalty: best.lengthPenalty, sentences: src.length, trials, signature: bleu.signature(1) };
  await writeJsonAtomic(join(outDir, 'result.json'), result);
  return result;
}
