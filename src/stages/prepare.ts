// Stage prepare: validated, size-limited copies of the corpus splits and a subword vocabulary
// trained on the training split. Promise: data/{train,dev,test}.{src,tgt} with equal line
// counts and no empty line (and data/distill.{src,tgt}, the first corpus.maxDistill training pairs,
// when that is set: what the teacher decodes and the students learn from), and tokenizer.json (or, with a pretrained teacher, teacher.json naming
// the folder whose vocabulary the pipeline uses); errors name the input file and line.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { type FilterConfig, type FilterCounts, PairFilter } from '../data/pairFilter.js';
import { readParallel } from '../data/parallel.js';
import { TEACHER_VOCABULARY_FILE } from '../runtime/pipelineTokenizer.js';
import { TeacherVocabulary } from '../runtime/teacherVocabulary.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { AtomicLineWriter } from '../util/atomicWrite.js';
import { writeJsonAtomic } from '../util/atomicWrite.js';

export interface CorpusConfig {
  train: string;
  dev: string;
  test: string; // path prefixes: PREFIX.SRC and PREFIX.TGT (or .gz)
  src: string;
  tgt: string; // language suffixes
  maxTrain: number;
  maxDev: number;
  maxTest: number; // first N pairs of each split (0 = all)
  maxDistill: number; // the students' share: the first N training pairs (0 = all), written as data/distill.*
  maxChars: number; // longer lines are dropped or an error (filter.overlong; default 400)
  filter: FilterConfig; // cleaning of the training pairs (dev and test are never filtered: errors)
}

/** teacherOnnx: a pretrained teacher's folder, whose vocabulary the pipeline takes instead of training one (hash: its content) */
export interface PrepareConfig {
  corpus: CorpusConfig;
  vocabSize: number;
  teacherOnnx?: { dir: string; hash: string };
}

/** PREFIX.LANG, or PREFIX.LANG.gz when only the compressed file exists (the bundled corpora). */
export function resolveSplitFile(prefix: string, lang: string): string {
  const plain = `${prefix}.${lang}`;
  return existsSync(plain) ? plain : existsSync(`${plain}.gz`) ? `${plain}.gz` : plain;
}

export async function run(config: PrepareConfig, outDir: string) {
  const c = config.corpus;
  const counts: Record<string, number> = {};
  let dropped: FilterCounts | undefined;
  const sample: string[] = [];
  for (const split of ['train', 'dev', 'test'] as const) {
    const limit = { train: c.maxTrain, dev: c.maxDev, test: c.maxTest }[split];
    const srcOut = new AtomicLineWriter(join(outDir, 'data', `${split}.src`));
    const tgtOut = new AtomicLineWriter(join(outDir, 'data', `${split}.tgt`));
    const distill =
      split === 'train' && c.maxDistill > 0
        ? [
            new AtomicLineWriter(join(outDir, 'data', 'distill.src')),
            new AtomicLineWriter(join(outDir, 'data', 'distill.tgt')),
          ]
        : null;
    const files: [string, string] = [resolveSplitFile(c[split], c.src), resolveSplitFile(c[split], c.tgt)];
    // training pairs go through the filter; dev and test lines that break a rule stay errors
    const filter = split === 'train' ? new PairFilter(c.filter, c.maxChars, files) : null;
    let line = 0;
    for await (const [s, t] of readParallel(
      ...files,
      filter ? { maxChars: Infinity, allowEmpty: true } : { maxChars: c.maxChars },
    )) {
      line++;
      // past the limit the files are still read to their end: a target file one line short shifts
      // every pair after the gap, and only whole-file line counts show it
      if (limit && srcOut.count >= limit) continue;
      if (filter && !filter.keep(s, t, line)) continue;
      await srcOut.write(s);
      await tgtOut.write(t);
      if (distill && distill[0].count < c.maxDistill) {
        await distill[0].write(s);
        await distill[1].write(t);
      }
      // the tokenizer learns from both sides (one shared vocabulary for tied embeddings)
      if (split === 'train' && sample.length < 400_000) sample.push(s, t);
    }
    await srcOut.commit();
    await tgtOut.commit();
    counts[split] = srcOut.count;
    if (filter) dropped = filter.dropped;
    if (distill) {
      await distill[0].commit();
      await distill[1].commit();
      counts.distill = distill[0].count;
    }
  }
  if (config.teacherOnnx) {
    const vocab = await TeacherVocabulary.load(config.teacherOnnx.dir);
    await writeJsonAtomic(join(outDir, TEACHER_VOCABULARY_FILE), {
      onnx: resolve(config.teacherOnnx.dir),
      hash: config.teacherOnnx.hash,
    });
    return {
      counts,
      dropped,
      vocabSize: vocab.vocabSize,
      vocabHash: vocab.hash,
      teacherVocabulary: config.teacherOnnx.dir,
    };
  }
  const tokenizer = Tokenizer.train(sample, { vocabSize: config.vocabSize, progress: true });
  await tokenizer.save(join(outDir, 'tokenizer.json'));
  return { counts, dropped, vocabSize: tokenizer.vocabSize, vocabHash: tokenizer.hash };
}
