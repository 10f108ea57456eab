// What travels through Redis: one job per chunk of the generate stage, carrying the chunk's
// sources and references, the decoding settings and the teacher's folder and content hash; its
// return value is the decoded chunk (the bytes of its part files), which the coordinator checks
// and writes. Workers therefore need Redis and the teacher's folder, never the stage's folder.
import type { Chunk, ChunkSettings, EncodedChunk } from '../stages/generateChunks.js';

export const DEFAULT_QUEUE = 'kd-generate';
export const JOB_FORMAT = 'kd-generate-chunk-1';

/** Where workers find the teacher (an ONNX export folder) and what its content must hash to. */
export interface TeacherRef {
  dir: string;
  hash: string;
}

export interface ChunkJob {
  format: typeof JOB_FORMAT;
  /** the kd code that planned it (a worker running other code would decode other bytes) */
  code: string;
  /** the stage folder's name, generate-KEY: job ids and logs */
  stage: string;
  chunk: Chunk;
  sources: string[];
  refs: string[];
  settings: ChunkSettings;
  teacher: TeacherRef;
}

export interface ChunkJobResult {
  nbest: string; // the n-best part's JSON text
  gold: string; // base64 of the soft-target parts
  seqkd: string;
  /** the worker's decoding time and name (host:pid), for the coordinator's log */
  seconds: number;
  worker: string;
}

/** One id per chunk of a stage: adding it again is a no-op while the job exists (a restarted coordinator re-adds safely). */
export function jobId(stage: string, c: Chunk): string {
  return `${stage}.${String(c.start).padStart(9, '0')}`;
}

export function describeChunk(job: Pick<ChunkJob, 'stage' | 'chunk'>): string {
  const c = job.chunk;
  return `chunk ${c.index} of ${job.stage} (lines ${c.start + 1}-${c.start + c.length})`;
}

export function encodeResult(enc: EncodedChunk, seconds: number, worker: string): ChunkJobResult {
  return {
    nbest: enc.nbest.toString('utf8'),
    gold: enc.gold.toString('base64'),
    seqkd: enc.seqkd.toString('base64'),
    seconds,
    worker,
  };
}

export function decodeResult(r: ChunkJobResult): EncodedChunk {
  if (!r || typeof r.nbest !== 'string' || typeof r.gold !== 'string' || typeof r.seqkd !== 'string')
    throw new Error('not a decoded chunk (a worker of another kd version?)');
  return {
    nbest: Buffer.from(r.nbest, 'utf8'),
    gold: Buffer.from(r.gold, 'base64'),
    seqkd: Buffer.from(r.seqkd, 'base64'),
  };
}
