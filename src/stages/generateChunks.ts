// The generate stage's unit of work: a chunk of `generate.chunk` consecutive training pairs. The
// teacher decodes its sources (n-best) and is forced on its gold and its Seq-KD targets (soft
// targets); nothing in a chunk depends on another, so chunks are decoded in any order, by any
// process: here (decodeHere), by `kd generate --shard I/N`, or by `kd worker`s (src/fleet/). Every
// route runs decodeChunk, so every route writes the same bytes.
import { readParallel } from '../data/parallel.js';
import { chunksOf } from '../data/resumableOutput.js';
import { softTargetPartBytes } from '../data/softTargetParts.js';
import type { SentenceSoftTargets } from '../data/softTargets.js';
import { translateAll } from '../decode/translate.js';
import type { TranslationModel } from '../runtime/translationModel.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';

/** What decoding a chunk needs of the stage's config (the rest says where and how often). */
export interface ChunkSettings {
  beam: number;
  nbest: number;
  lengthPenalty: number;
  maxLength: number;
  batchSize: number;
  softTargets: { topK: number; temperature: number };
}

/** Chunk `index` holds the pairs [start, start + length) of the split (0-based lines). */
export interface Chunk {
  index: number;
  start: number;
  length: number;
}
export interface ChunkInput extends Chunk {
  sources: string[];
  refs: string[];
}

export interface Hyp {
  text: string;
  ids: number[];
  score: number;
}
/** parts/START.json: one n-best list per source, best first */
export interface NbestPart {
  nbest: Hyp[][];
}

/** A decoded chunk as the bytes of its part files (see ./generateParts.ts). */
export interface EncodedChunk {
  nbest: Buffer;
  gold: Buffer;
  seqkd: Buffer;
}

export function planChunks(total: number, size: number): Chunk[] {
  return Array.from({ length: Math.ceil(total / size) }, (_, index) => ({
    index,
    start: index * size,
    length: Math.min(size, total - index * size),
  }));
}

/** The chunks `want` picks, with their sources and references, streamed (memory holds one chunk). */
export async function* chunkInputs(
  srcFile: string,
  refFile: string,
  size: number,
  want: (c: Chunk) => boolean,
): AsyncGenerator<ChunkInput> {
  let index = 0;
  for await (const pairs of chunksOf(readParallel(srcFile, refFile, { maxChars: Infinity }), size)) {
    const chunk = { index, start: index * size, length: pairs.length };
    index++;
    if (want(chunk)) yield { ...chunk, sources: pairs.map(([s]) => s), refs: pairs.map(([, r]) => r) };
  }
}

/** A Seq-KD line: the top beam, or the source's reference where the top beam is empty (an empty training line). */
export function seqkdLine(list: Hyp[], ref: string): string {
  return list[0]?.text || ref;
}

/** Decodes a chunk: its n-best lists, then its soft targets on the gold and on the Seq-KD targets. */
export async function decodeChunk(
  teacher: TranslationModel,
  tok: SubwordCodec,
  s: ChunkSettings,
  input: Pick<ChunkInput, 'sources' | 'refs'>,
  onBatch?: (done: number) => void,
): Promise<EncodedChunk> {
  const sources = input.sources.map((line) => tok.encode(line));
  const decoder = await teacher.decoder();
  const hyps = await translateAll(
    decoder.step,
    sources,
    {
      numBeams: s.beam,
      nbest: s.nbest,
      lengthPenalty: s.lengthPenalty,
      maxLength: s.maxLength,
      batchSize: s.batchSize,
      ...teacher.beamExtras,
    },
    onBatch,
  );
  const nbest: NbestPart = {
    nbest: hyps.map((list) => list.map((h) => ({ text: tok.decode(h.tokens), ids: h.tokens, score: h.score }))),
  };
  const seqkd = nbest.nbest.map((list, i) => seqkdLine(list, input.refs[i]));
  const k = s.softTargets.topK;
  return {
    nbest: Buffer.from(JSON.stringify(nbest)),
    gold: softTargetPartBytes(await teacherForced(teacher, tok, s, sources, input.refs), k),
    seqkd: softTargetPartBytes(await teacherForced(teacher, tok, s, sources, seqkd), k),
  };
}

/**
 * The teacher forced on targets (text, encoded as the students will read them), in batches of
 * similar lengths: a batch pads to its longest pair, and in corpus order that more than doubled
 * the forced runs' time (scripts/profile-generate.ts). Results come back in corpus order.
 */
export async function teacherForced(
  teacher: TranslationModel,
  tok: SubwordCodec,
  s: ChunkSettings,
  sources: number[][],
  targets: string[],
): Promise<SentenceSoftTargets[]> {
  const pairs = sources.map((src, i) => ({ src, tgt: tok.encode(targets[i]) }));
  const order = pairs.map((_, i) => i).sort((a, b) => size(pairs[a]) - size(pairs[b]) || a - b);
  const out: SentenceSoftTargets[] = new Array(pairs.length);
  for (let b = 0; b < order.length; b += s.batchSize) {
    const rows = order.slice(b, b + s.batchSize);
    await yieldToEventLoop();
    const soft = await teacher.softTargets(
      rows.map((i) => pairs[i]),
      s.softTargets.topK,
      s.softTargets.temperature,
    );
    rows.forEach((i, r) => (out[i] = soft[r]));
  }
  return out;
}

/** Pairs of similar size batch together: both sides pad to the batch's longest. */
const size = (p: { src: number[]; tgt: number[] }) => p.src.length + p.tgt.length;
