// Stage generate: the teacher decodes the training sources with beam search and is forced on
// targets. Promise, each file aligned line by line with data/train.src:
//   seqkd.tgt    the top beam (Seq-KD pseudo-corpus)
//   nbest.jsonl  {"nbest":[{"text","ids","score"}...]} per source, best first
//   seqinter.tgt the n-best hypothesis with the highest sentence BLEU against the reference
//   soft-gold/, soft-seqkd/  top-k soft targets (teacher forced on the gold / Seq-KD targets)
// Work is done in chunks written atomically under parts/, so a killed run resumes at its last chunk.
// Every file is streamed: memory grows with the chunk and batch sizes, never with the corpus.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';
import { dirname, join } from 'node:path';
import { countLines } from '../data/countLines.js';
import { readParallel } from '../data/parallel.js';
import { readLines } from '../data/textLines.js';
import { chunksOf } from '../data/resumableOutput.js';
import { SoftTargetWriter } from '../data/softTargets.js';
import { seqInterSelect } from '../distill/seqInter.js';
import { translateAll } from '../decode/translate.js';
import { initBackend } from '../engine/tf.js';
import { loadTranslationModel, type TranslationModel } from '../runtime/translationModel.js';
import { loadPipelineTokenizer } from '../runtime/pipelineTokenizer.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { AtomicLineWriter, writeJsonAtomic } from '../util/atomicWrite.js';
import { recordOf } from '../util/fileHash.js';
import { Progress } from '../util/progress.js';

export interface GenerateConfig {
  beam: number; nbest: number; lengthPenalty: number; maxLength: number; // 0 = 1.5 x source + 10
  batchSize: number; chunk: number; engine: string;
  softTargets: { topK: number; temperature: number };
  backend?: string;
}

interface Part { nbest: Array<Array<{ text: string; ids: number[]; score: number }>> }

/** split: the prepared pairs to decode, 'train' or 'distill' (data/SPLIT.src, .tgt) */
export async function run(config: GenerateConfig, inputs: { prepareDir: string; teacherDir: string; teacherHash: string; split?: string }, outDir: string, log: (m: string) => void) {
  if (config.engine === 'tfjs') await initBackend(config.backend, log);
  const tok = await loadPipelineTokenizer(inputs.prepareDir);
  // a train stage folder, or a pretrained ONNX teacher's
  const teacher = await loadTranslationModel(inputs.teacherDir, config.engine, log);
  const split = inputs.split ?? 'train';
  const files = { src: join(inputs.prepareDir, 'data', `${split}.src`), ref: join(inputs.prepareDir, 'data', `${split}.tgt`), seqkd: join(outDir, 'seqkd.tgt') };
  const partFile = (start: number) => join(outDir, 'parts', `${String(start).padStart(9, '0')}.json`);
  try {
    const decoded = await decodeParts(config, teacher, tok, files.src, partFile);
    const assembled = await assembleOutputs(config.chunk, decoded.total, files.ref, partFile, outDir);
    const soft = await writeSoftTargets(config, teacher, tok, files, decoded.total, inputs.teacherHash, outDir);
    // sizes and checksums of the pseudo-corpora: the students' train stages verify them before use
    const outputs = Object.fromEntries(PSEUDO_CORPORA.map((f) => [f, recordOf(join(outDir, f))]));
    const result = { sentences: decoded.total, ...assembled, softTargets: soft.manifests, files: outputs,
      peakRssMb: Math.max(decoded.peakRssMb, soft.peakRssMb), seconds: decoded.seconds };
    await writeJsonAtomic(join(outDir, 'result.json'), result);
    return result;
  } finally {
    teacher.dispose();
  }
}

/** Decodes the sources chunk by chunk into parts/ (chunks already there are skipped: a killed run resumes). */
async function decodeParts(config: GenerateConfig, teacher: TranslationModel, tok: SubwordCodec, srcFile: string,
  partFile: (start: number) => string) {
  mkdirSync(dirname(partFile(0)), { recursive: true });
  const progress = new Progress('generate', await countLines(srcFile), 'sent');
  let total = 0;
  // streamed: memory holds one chunk of sources and its n-best lists
  for await (const chunk of chunksOf(readLines(srcFile), config.chunk)) {
    const start = total;
    total += chunk.length;
    if (wholePart(partFile(start), chunk.length)) { progress.tick(chunk.length, '(resumed)'); continue; }
    const decoder = await teacher.decoder();
    const hyps = await translateAll(decoder.step, chunk.map((s) => tok.encode(s)), { numBeams: config.beam, nbest: config.nbest, lengthPenalty: config.lengthPenalty, maxLength: config.maxLength, batchSize: config.batchSize, ...teacher.beamExtras },
      (done) => progress.tick(done));
    const part: Part = { nbest: hyps.map((list) => list.map((h) => ({ text: tok.decode(h.tokens), ids: h.tokens, score: h.score }))) };
    await writeJsonAtomic(partFile(start), part);
  }
  return { total, peakRssMb: progress.peakRssMb, seconds: progress.seconds };
}

export const PSEUDO_CORPORA = ['seqkd.tgt', 'seqinter.tgt', 'nbest.jsonl'];

/**
 * Whether a part is there and whole (parseable, one n-best list per source of its chunk). Parts are
 * written atomically, so a broken one was damaged afterwards: it is decoded again, not trusted.
 */
function wholePart(file: string, sources: number): boolean {
  if (!existsSync(file)) return false;
  try {
    const part = JSON.parse(readFileSync(file, 'utf8')) as Part;
    if (Array.isArray(part.nbest) && part.nbest.length === sources) return true;
  } catch { /* unreadable: decoded again below */ }
  process.stderr.write(`${file}: damaged (not ${sources} n-best lists); decoding its chunk again\n`);
  return false;
}

/** seqkd.tgt, seqinter.tgt and nbest.jsonl from the parts, beside a streamed reference. */
async function assembleOutputs(chunk: number, total: number, refFile: string, partFile: (start: number) => string, outDir: string) {
  const seqkd = new AtomicLineWriter(join(outDir, 'seqkd.tgt'));
  const seqinter = new AtomicLineWriter(join(outDir, 'seqinter.tgt'));
  const nbest = new AtomicLineWriter(join(outDir, 'nbest.jsonl'));
  const refs = readLines(refFile)[Symbol.asyncIterator]();
  let nbestLines = 0;
  let emptyTopBeams = 0;
  for (let start = 0; start < total; start += chunk) {
    const part = JSON.parse(readFileSync(partFile(start), 'utf8')) as Part;
    for (const list of part.nbest) {
      const ref = (await refs.next()).value as string;
      // an empty top beam would be an empty training line: keep the source's reference instead, counted
      const top = list[0]?.text || (emptyTopBeams++, ref);
      await seqkd.write(top);
      await seqinter.write(list.length ? list[seqInterSelect(list.map((h) => h.text), ref)].text || top : top);
      await nbest.write(JSON.stringify({ nbest: list }));
      nbestLines++;
    }
  }
  await Promise.all([seqkd.commit(), seqinter.commit(), nbest.commit()]);
  return { nbestLines, emptyTopBeams };
}

/** soft-gold/ and soft-seqkd/: the teacher forced on the gold and the Seq-KD targets, streamed in batches. */
async function writeSoftTargets(config: GenerateConfig, teacher: TranslationModel, tok: SubwordCodec,
  files: { src: string; ref: string; seqkd: string }, total: number, teacherHash: string, outDir: string) {
  const manifests: Record<string, unknown> = {};
  let peakRssMb = 0;
  for (const [name, targets] of Object.entries({ gold: files.ref, seqkd: files.seqkd })) {
    const writer = new SoftTargetWriter(join(outDir, `soft-${name}`), { teacherHash, vocabHash: tok.hash, ...config.softTargets });
    const progress = new Progress(`soft targets (${name})`, total, 'sent');
    for await (const batch of chunksOf(readParallel(files.src, targets, { maxChars: Infinity }), config.batchSize)) {
      const pairs = batch.map(([s, t]) => ({ src: tok.encode(s), tgt: tok.encode(t) }));
      await yieldToEventLoop();
      for (const t of await teacher.softTargets(pairs, config.softTargets.topK, config.softTargets.temperature)) writer.add(t);
      progress.tick(pairs.length);
    }
    manifests[name] = await writer.finish();
    peakRssMb = Math.max(peakRssMb, progress.peakRssMb);
  }
  return { manifests, peakRssMb };
}
