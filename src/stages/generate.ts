// Stage generate: the teacher decodes the training sources with beam search and is forced on
// targets. Promise, each file aligned line by line with data/SPLIT.src:
//   seqkd.tgt    the top beam (Seq-KD pseudo-corpus)
//   nbest.jsonl  {"nbest":[{"text","ids","score"}...]} per source, best first
//   seqinter.tgt the n-best hypothesis with the highest sentence BLEU against the reference
//   soft-gold/, soft-seqkd/  top-k soft targets (teacher forced on the gold / Seq-KD targets)
// Work is done in chunks of `chunk` pairs (./generateChunks.ts) written atomically under parts/
// (./generateParts.ts), so a killed run resumes at its last chunk, and chunks can be decoded
// elsewhere: by static shards (mode.shard, then mode.merge) or by a worker fleet (mode.executor).
// However they were decoded, the outputs are assembled from the parts in order: the same bytes.
// Every file is streamed: memory grows with the chunk and batch sizes, never with the corpus.
import { join } from 'node:path';

import { countLines } from '../data/countLines.js';
import { loadPipelineTokenizer } from '../runtime/pipelineTokenizer.js';
import { writeJsonAtomic } from '../util/atomicWrite.js';
import { recordOf } from '../util/fileHash.js';
import { planChunks } from './generateChunks.js';
import { type ChunkExecutor, decodeHere } from './generateLocal.js';
import { assembleOutputs, ChunkParts } from './generateParts.js';

export interface GenerateConfig {
  beam: number;
  nbest: number;
  lengthPenalty: number;
  maxLength: number; // 0 = 1.5 x source + 10
  batchSize: number;
  chunk: number;
  engine: string;
  softTargets: { topK: number; temperature: number };
  backend?: string;
}

/** split: the prepared pairs to decode, 'train' or 'distill' (data/SPLIT.src, .tgt) */
export interface GenerateInputs {
  prepareDir: string;
  teacherDir: string;
  teacherHash: string;
  split?: string;
}

/** How this process takes part: the whole stage (default), one static shard, the merge, or a fleet's coordinator. */
export interface GenerateMode {
  /** decode only chunks c with c mod count = index - 1, then stop without finishing the stage */
  shard?: { index: number; count: number };
  /** decode nothing: every chunk must be there (written by shards) */
  merge?: boolean;
  /** who decodes the missing chunks (default: this process) */
  executor?: ChunkExecutor;
}

/** A shard's end: its chunks are done, the stage is not (the stage runner leaves it unfinished). */
export class StageIncomplete extends Error {
  name = 'StageIncomplete';
}

export const PSEUDO_CORPORA = ['seqkd.tgt', 'seqinter.tgt', 'nbest.jsonl'];

export async function run(
  config: GenerateConfig,
  inputs: GenerateInputs,
  outDir: string,
  log: (m: string) => void,
  mode: GenerateMode = {},
) {
  const tok = await loadPipelineTokenizer(inputs.prepareDir);
  const split = inputs.split ?? 'train';
  const files = {
    src: join(inputs.prepareDir, 'data', `${split}.src`),
    ref: join(inputs.prepareDir, 'data', `${split}.tgt`),
  };
  const total = await countLines(files.src);
  const plan = planChunks(total, config.chunk);
  const parts = new ChunkParts(join(outDir, 'parts'), config.softTargets.topK);
  const share = mode.shard ? plan.filter((c) => c.index % mode.shard!.count === mode.shard!.index - 1) : plan;
  const todo = mode.merge ? [] : share.filter((c) => !parts.done(c, log));

  const decoded = await (mode.executor ?? decodeHere).decode({
    config,
    inputs,
    outDir,
    files,
    share,
    todo,
    parts,
    tok,
    log,
  });
  if (mode.shard) {
    const { index, count } = mode.shard;
    throw new StageIncomplete(
      `generate --shard ${index}/${count}: done (${todo.length} chunks decoded here, ${share.length} in this shard, ${plan.length} in all): ` +
        'once every shard is done, kd generate PIPELINE --merge assembles the stage',
    );
  }
  parts.checkExactlyOnce(plan);
  const assembled = await assembleOutputs(plan, parts, files.ref, outDir, {
    teacherHash: inputs.teacherHash,
    vocabHash: tok.hash,
    ...config.softTargets,
  });
  // sizes and checksums of the pseudo-corpora: the students' train stages verify them before use
  const outputs = Object.fromEntries(PSEUDO_CORPORA.map((f) => [f, recordOf(join(outDir, f))]));
  const result = {
    sentences: total,
    nbestLines: assembled.nbestLines,
    emptyTopBeams: assembled.emptyTopBeams,
    softTargets: assembled.manifests,
    files: outputs,
    peakRssMb: decoded.peakRssMb,
    seconds: decoded.seconds,
  };
  await writeJsonAtomic(join(outDir, 'result.json'), result);
  return result;
}
