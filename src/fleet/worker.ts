// kd worker: takes chunk jobs from the queue one at a time, decodes each with the teacher named in
// the job (loaded once and kept while the jobs name the same teacher) through the generate stage's
// own decodeChunk, and returns the decoded chunk as the job's value. Before decoding it checks the
// job against itself: the same kd code, and the teacher folder (the job's path, or --teacher DIR)
// hashing to the job's hash. On a mismatch it puts the job back untouched (no attempt spent, so a
// right worker takes it) and stops with an error saying what differs.
// A worker killed mid-chunk loses nothing: its lock expires after lockMs, and a live worker's
// stalled-job check (every stalledMs) returns the job to the queue.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';

import { type Job, WaitingError, Worker } from 'bullmq';

import type { TranslationModel } from '../runtime/translationModel.js';
import { decodeChunk } from '../stages/generateChunks.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { dirContentHash } from '../util/fileHash.js';
import { type ChunkJob, type ChunkJobResult, describeChunk, encodeResult, JOB_FORMAT } from './jobs.js';
import { logOutages, redisConnection, redisName } from './redisConnection.js';
import { loadTeacherFolder } from './teacherFolder.js';

export interface WorkerOptions {
  url: string;
  name: string;
  codeVersion: string;
  /** this worker's copy of the teacher folder, instead of the path the job names */
  teacher?: string;
  lockMs: number; // a job's lock; renewed every lockMs / 2 while decoding
  stalledMs: number; // how often this worker looks for jobs whose lock expired
  maxStalled: number; // times a job may lose its worker before it fails
}

/** Runs until `stop` is aborted (then finishes its job) or it refuses a job (then rejects with why). */
export async function runWorker(opts: WorkerOptions, log: (m: string) => void, stop: AbortSignal): Promise<void> {
  const me = `${hostname()}:${process.pid}`;
  const hashes = new Map<string, string>(); // folder -> content hash, computed once
  let teacher: { hash: string; model: TranslationModel; tok: SubwordCodec } | null = null;
  let refusal: Error | null = null;

  /** Why this worker must not decode the job (null: it may). */
  const problem = (data: ChunkJob, dir: string): string | null => {
    if (data.format !== JOB_FORMAT)
      return `the job's format is ${data.format}, this kd reads ${JOB_FORMAT}: run the same kd version on every machine`;
    if (data.code !== opts.codeVersion)
      return `the job was planned by kd code ${data.code}, this worker runs ${opts.codeVersion}: run the same kd version (the same src/) on every machine`;
    if (!existsSync(dir))
      return `teacher folder ${dir} not found on this machine: share it at that path, or give this worker a copy with --teacher DIR`;
    if (!hashes.has(dir)) hashes.set(dir, dirContentHash(dir));
    const have = hashes.get(dir);
    if (have !== data.teacher.hash)
      return `teacher hash mismatch: the job needs ${data.teacher.hash} (${data.teacher.dir}), ${dir} hashes to ${have}: give this worker the teacher the coordinator exported (--teacher DIR)`;
    return null;
  };

  const worker = new Worker<ChunkJob, ChunkJobResult>(
    opts.name,
    async (job: Job<ChunkJob, ChunkJobResult>, token?: string) => {
      const data = job.data;
      const dir = opts.teacher ?? data.teacher.dir;
      const why = problem(data, dir);
      if (why) {
        refusal = new Error(`worker ${me} refused ${describeChunk(data)}: ${why}`);
        await job.moveToWait(token); // back to the queue as it was, for a worker that has the right teacher
        void worker.close();
        throw new WaitingError();
      }
      log(`[worker ${me}] ${describeChunk(data)}: started`);
      const t0 = performance.now();
      if (teacher?.hash !== data.teacher.hash) {
        teacher?.model.dispose();
        teacher = null;
        teacher = { hash: data.teacher.hash, ...(await loadTeacherFolder(dir, log)) };
        log(`[worker ${me}] teacher ${dir} (hash ${data.teacher.hash}) loaded`);
      }
      const decoded = await decodeChunk(teacher.model, teacher.tok, data.settings, data);
      const seconds = (performance.now() - t0) / 1000;
      log(`[worker ${me}] ${describeChunk(data)}: ${data.sources.length} sentences in ${seconds.toFixed(2)} s`);
      return encodeResult(decoded, seconds, me);
    },
    {
      connection: redisConnection(opts.url),
      concurrency: 1,
      lockDuration: opts.lockMs,
      stalledInterval: opts.stalledMs,
      maxStalledCount: opts.maxStalled,
      autorun: false,
    },
  );

  logOutages(worker, opts.url, log);
  worker.on('failed', (job, err) => {
    if (job)
      log(
        `[worker ${me}] ${describeChunk(job.data)} failed (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${err.message}`,
      );
  });
  worker.on('stalled', (id) => log(`[worker ${me}] job ${id} lost its worker (lock expired): back in the queue`));
  stop.addEventListener('abort', () => void worker.close(), { once: true });
  log(`[worker ${me}] waiting for jobs on ${redisName(opts.url)} (queue ${opts.name})`);
  try {
    await worker.run();
    await worker.close(); // its connections, after the main loop
  } finally {
    (teacher as { model: TranslationModel } | null)?.model.dispose();
  }
  if (refusal) throw refusal;
}
