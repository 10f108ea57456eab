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
import { join } from 'node:path';
import { countLines } from '../data/countLines.js';
import { readParallel } from '../data/parallel.js';
import { readLines } from '../data/textLines.js';
import { chunksOf } from '../util/resumableOutput.js';
import { SoftTargetWriter } from '../data/softTargets.js';
import { seqInterSelect } from '../distill/seqInter.js';
import { translateAll } from '../decode/translate.js';
import { initBackend } from '../engine/tf.js';
import { loadTranslationModel } from '../distill/translationTeacher.js';
import { loadPipelineTokenizer } from '../tokenize/pipelineTokenizer.js';
import { AtomicLineWriter, writeJsonAtomic } from '../util/atomicWrite.js';
import { Progress } from '../util/progress.js';

export interface GenerateConfig {
  beam: number; nbest: number; lengthPenalty: number; maxLength: number; // 0 = 1.5 x source + 10
  batchSize: number; chunk: number; engine: string;
  softTargets: { topK: number; temperature: number };
  backend?: string;
}

interface Part { nbest: Array<Array<{ text: string; ids: number[]; score: number }>> }

export async function run(config: GenerateConfig, inputs: { prepareDir: string; teacherDir: string; teacherHash: string }, outDir: string, log: (m: string) => void) {
  await initBackend(config.backend, log);
  const tok = await loadPipelineTokenizer(inputs.prepareDir);
  // a train stage folder, or a pretrained ONNX teacher's
  const teacher = await loadTranslationModel(inputs.teacherDir, config.engine, log);
  const srcFile = join(inputs.prepareDir, 'data', 'train.src');
  const refFile = join(inputs.prepareDir, 'data', 'train.tgt');
  const partFile = (start: number) => join(outDir, 'parts', `${String(start).padStart(9, '0')}.json`);
  mkdirSync(join(outDir, 'parts'), { recursive: true });
  const progress = new Progress('generate', await countLines(srcFile), 'sent');
  let total = 0;
  try {
    // streamed chunk by chunk: memory holds one chunk of sources and its n-best lists
    for await (const chunk of chunksOf(readLines(srcFile), config.chunk)) {
      const start = total;
      total += chunk.length;
      if (existsSync(partFile(start))) { progress.tick(chunk.length, '(resumed)'); continue; }
      const decoder = await teacher.decoder();
      const hyps = await translateAll(decoder.step, chunk.map((s) => tok.encode(s)), { numBeams: config.beam, nbest: config.nbest, lengthPenalty: config.lengthPenalty, maxLength: config.maxLength, batchSize: config.batchSize, ...teacher.beamExtras },
        (done) => progress.tick(done));
      const part: Part = { nbest: hyps.map((list) => list.map((h) => ({ text: tok.decode(h.tokens), ids: h.tokens, score: h.score }))) };
      await writeJsonAtomic(partFile(start), part);
    }
  } catch (err) {
    teacher.dispose();
    throw err;
  }
  const seqkd = new AtomicLineWriter(join(outDir, 'seqkd.tgt'));
  const seqinter = new AtomicLineWriter(join(outDir, 'seqinter.tgt'));
  const nbest = new AtomicLineWriter(join(outDir, 'nbest.jsonl'));
  const refs = readLines(refFile)[Symbol.asyncIterator]();
  let line = 0;
  let emptyTop = 0;
  for (let start = 0; start < total; start += config.chunk) {
    const part = JSON.parse(readFileSync(partFile(start), 'utf8')) as Part;
    for (const list of part.nbest) {
      const ref = (await refs.next()).value as string;
      // an empty top beam would be an empty training line: keep the source's reference instead, counted
      const top = list[0]?.text || (emptyTop++, ref);
      await seqkd.write(top);
      await seqinter.write(list.length ? list[seqInterSelect(list.map((h) => h.text), ref)].text || top : top);
      await nbest.write(JSON.stringify({ nbest: list }));
      line++;
    }
  }
  await Promise.all([seqkd.commit(), seqinter.commit(), nbest.commit()]);
  const manifests: Record<string, unknown> = {};
  let peakRssMb = progress.peakRssMb;
  for (const [name, targets] of Object.entries({ gold: refFile, seqkd: join(outDir, 'seqkd.tgt') })) {
    const writer = new SoftTargetWriter(join(outDir, `soft-${name}`), { teacherHash: inputs.teacherHash, vocabHash: tok.hash, ...config.softTargets });
    const sp = new Progress(`soft targets (${name})`, total, 'sent');
    for await (const batch of chunksOf(readParallel(srcFile, targets, { maxChars: Infinity }), config.batchSize)) {
      const pairs = batch.map(([s, t]) => ({ src: tok.encode(s), tgt: tok.encode(t) }));
      await yieldToEventLoop();
      for (const t of await teacher.softTargets(pairs, config.softTargets.topK, config.softTargets.temperature)) writer.add(t);
      sp.tick(pairs.length);
    }
    manifests[name] = await writer.finish();
    peakRssMb = Math.max(peakRssMb, sp.peakRssMb);
  }
  teacher.dispose();
  const result = { sentences: total, nbestLines: line, emptyTopBeams: emptyTop, softTargets: manifests, peakRssMb, seconds: progress.seconds };
  await writeJsonAtomic(join(outDir, 'result.json'), result);
  return result;
}
