// Stage generate: the teacher decodes the training sources with beam search and is forced on
// targets. Promise, each file aligned line by line with data/train.src:
//   seqkd.tgt    the top beam (Seq-KD pseudo-corpus)
//   nbest.jsonl  {"nbest":[{"text","ids","score"}...]} per source, best first
//   seqinter.tgt the n-best hypothesis with the highest sentence BLEU against the reference
//   soft-gold/, soft-seqkd/  top-k soft targets (teacher forced on the gold / Seq-KD targets)
// Work is done in chunks written atomically under parts/, so a killed run resumes at its last chunk.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';
import { join } from 'node:path';
import { readAllLines } from '../data/textLines.js';
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
  const src = await readAllLines(join(inputs.prepareDir, 'data', 'train.src'));
  const refs = await readAllLines(join(inputs.prepareDir, 'data', 'train.tgt'));
  mkdirSync(join(outDir, 'parts'), { recursive: true });
  const progress = new Progress('generate', src.length, 'sent');
  try {
    for (let start = 0; start < src.length; start += config.chunk) {
      const partFile = join(outDir, 'parts', `${String(start).padStart(9, '0')}.json`);
      const n = Math.min(config.chunk, src.length - start);
      if (existsSync(partFile)) { progress.tick(n, '(resumed)'); continue; }
      const decoder = await teacher.decoder();
      const ids = src.slice(start, start + n).map((s) => tok.encode(s));
      const hyps = await translateAll(decoder.step, ids, { numBeams: config.beam, nbest: config.nbest, lengthPenalty: config.lengthPenalty, maxLength: config.maxLength, batchSize: config.batchSize, ...teacher.beamExtras },
        (done) => progress.tick(done));
      const part: Part = { nbest: hyps.map((list) => list.map((h) => ({ text: tok.decode(h.tokens), ids: h.tokens, score: h.score }))) };
      await writeJsonAtomic(partFile, part);
    }
  } catch (err) {
    teacher.dispose();
    throw err;
  }
  const seqkd = new AtomicLineWriter(join(outDir, 'seqkd.tgt'));
  const seqinter = new AtomicLineWriter(join(outDir, 'seqinter.tgt'));
  const nbest = new AtomicLineWriter(join(outDir, 'nbest.jsonl'));
  let line = 0;
  let emptyTop = 0;
  for (let start = 0; start < src.length; start += config.chunk) {
    const part = JSON.parse(readFileSync(join(outDir, 'parts', `${String(start).padStart(9, '0')}.json`), 'utf8')) as Part;
    for (const list of part.nbest) {
      // an empty top beam would be an empty training line: keep the source's reference instead, counted
      const top = list[0]?.text || (emptyTop++, refs[line]);
      await seqkd.write(top);
      await seqinter.write(list.length ? list[seqInterSelect(list.map((h) => h.text), refs[line])].text || top : top);
      await nbest.write(JSON.stringify({ nbest: list }));
      line++;
    }
  }
  await Promise.all([seqkd.commit(), seqinter.commit(), nbest.commit()]);
  const pseudo = await readAllLines(join(outDir, 'seqkd.tgt'));
  const soft = { gold: refs, seqkd: pseudo };
  const manifests: Record<string, unknown> = {};
  for (const [name, targets] of Object.entries(soft)) {
    const writer = new SoftTargetWriter(join(outDir, `soft-${name}`), { teacherHash: inputs.teacherHash, vocabHash: tok.hash, ...config.softTargets });
    const sp = new Progress(`soft targets (${name})`, src.length, 'sent');
    for (let b = 0; b < src.length; b += config.batchSize) {
      const pairs = src.slice(b, b + config.batchSize).map((s, k) => ({ src: tok.encode(s), tgt: tok.encode(targets[b + k]) }));
      await yieldToEventLoop();
      for (const t of await teacher.softTargets(pairs, config.softTargets.topK, config.softTargets.temperature)) writer.add(t);
      sp.tick(pairs.length);
    }
    manifests[name] = await writer.finish();
  }
  teacher.dispose();
  const result = { sentences: src.length, nbestLines: line, emptyTopBeams: emptyTop, softTargets: manifests, peakRssMb: progress.peakRssMb, seconds: progress.seconds };
  await writeJsonAtomic(join(outDir, 'result.json'), result);
  return result;
}
