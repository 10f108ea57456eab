// kd generate --queue: the generate stage's missing chunks decoded by `kd worker`s through a
// BullMQ queue on Redis. The coordinator streams the split, keeps at most `window` chunk jobs in
// the queue, collects each finished job's decoded chunk from Redis and writes its parts itself
// (atomically, once: a job's result is taken only from the completed set). Jobs have fixed ids, so
// a restarted coordinator finds the jobs an earlier one left (waiting, running or finished) and
// only adds the ones Redis lacks; a job that vanished (Redis restarted without persistence) is
// added again. Workers retry a failing chunk `attempts` times with exponential back-off; a job
// whose worker died returns to the queue when its lock expires (src/fleet/worker.ts).
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { ChunkExecutor, ChunkWork } from '../stages/generateLocal.js';
import { chunkProgress } from '../stages/generateLocal.js';
import { chunkInputs, type ChunkSettings } from '../stages/generateChunks.js';
import { ConfigError } from '../util/errors.js';
import { decodeResult, describeChunk, jobId, JOB_FORMAT, type ChunkJob, type ChunkJobResult } from './jobs.js';
import { logOutages, redisConnection, redisName } from './redisConnection.js';
import { teacherForWorkers } from './teacherFolder.js';

export interface QueueOptions {
  url: string;
  name: string;
  /** the kd code version (src/ hash): workers running other code refuse the jobs */
  codeVersion: string;
  attempts: number;  // tries per chunk before the run fails
  backoffMs: number; // first retry's delay, doubled each time
  window: number;    // chunk jobs in the queue at once (more than there are workers)
  pollMs: number;    // how often finished jobs are collected
}

/** Checks for jobs that vanished and counts workers every this many polls. */
const SWEEP_POLLS = 20;
/** Says what it waits for when nothing has finished for this long. */
const QUIET_MS = 30_000;

export function queueExecutor(opts: QueueOptions): ChunkExecutor {
  return { decode: (work) => coordinate(opts, work) };
}

async function coordinate(opts: QueueOptions, work: ChunkWork) {
  if (!work.todo.length) return { seconds: 0, peakRssMb: 0 };
  if (work.config.engine === 'tfjs') throw new ConfigError("'generate.engine' tfjs: a worker fleet decodes the teacher's ONNX export; use engine onnx (the default) with --queue");
  const teacher = teacherForWorkers(work.inputs, work.outDir, work.log);
  const stage = basename(work.outDir);
  const { beam, nbest, lengthPenalty, maxLength, batchSize, softTargets } = work.config;
  const settings: ChunkSettings = { beam, nbest, lengthPenalty, maxLength, batchSize, softTargets };
  const queue = new Queue<ChunkJob, ChunkJobResult>(opts.name, { connection: redisConnection(opts.url) });
  logOutages(queue, opts.url, work.log);
  const jobOpts = { attempts: opts.attempts, backoff: { type: 'exponential', delay: opts.backoffMs }, removeOnComplete: false, removeOnFail: false };
  const add = (data: ChunkJob) => queue.add('chunk', data, { ...jobOpts, jobId: jobId(stage, data.chunk) });
  work.log(`[generate] ${work.todo.length} chunks for workers on ${redisName(opts.url)} (queue ${opts.name}; teacher ${teacher.dir}, hash ${teacher.hash})`);

  const chunks = work.share.length;
  let done = chunks - work.todo.length;
  const progress = chunkProgress('generate (queue)', work);
  const outstanding = new Map<string, ChunkJob>();
  const todo = new Set(work.todo.map((c) => c.index));
  const inputs = chunkInputs(work.files.src, work.files.ref, work.config.chunk, (c) => todo.has(c.index))[Symbol.asyncIterator]();
  let exhausted = false;
  let [lastSweep, lastNews, workers] = [0, Date.now(), 0];
  try {
    for (;;) {
      const inherited = { jobs: 0, finished: 0 };
      while (!exhausted && outstanding.size < opts.window) {
        const next = await inputs.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const { sources, refs, ...chunk } = next.value;
        const data: ChunkJob = { format: JOB_FORMAT, code: opts.codeVersion, stage, chunk, sources, refs, settings, teacher };
        outstanding.set(jobId(stage, chunk), data);
        const state = await enqueue(queue, data, add, work.log);
        if (state !== 'unknown' && state !== 'failed') inherited.jobs++;
        if (state === 'completed') inherited.finished++;
      }
      if (inherited.jobs) work.log(`[generate] took up ${inherited.jobs} chunk jobs an earlier run left in Redis (${inherited.finished} of them finished)`);
      if (exhausted && !outstanding.size) {
        await clearLeftovers(queue, stage);
        break;
      }
      await sleep(opts.pollMs);
      for (const id of await queue.getRanges(['completed'], 0, -1)) {
        const data = outstanding.get(id);
        const job = data && await queue.getJob(id);
        if (!data || !job) continue; // another stage's, or gone (the sweep adds it again)
        const result = job.returnvalue;
        work.parts.write(data.chunk, decodeResult(result));
        outstanding.delete(id);
        await job.remove().catch(() => {}); // what is left is cleared on the next run's pass
        done++;
        lastNews = Date.now();
        progress.tick(data.chunk.length, `chunks ${done}/${chunks}, ${workers} workers (last: ${result.worker}, ${result.seconds.toFixed(1)} s)`);
      }
      for (const id of await queue.getRanges(['failed'], 0, -1)) {
        const data = outstanding.get(id);
        const job = data && await queue.getJob(id);
        if (data && job) {
          throw new Error(`${describeChunk(data)} failed ${job.attemptsMade} times; the last error: ${job.failedReason}. ` +
            'Fix its cause and run kd generate --queue again: finished chunks are kept, this one is tried again');
        }
      }
      if (Date.now() - lastSweep > SWEEP_POLLS * opts.pollMs) {
        lastSweep = Date.now();
        workers = await queue.getWorkersCount().catch(() => workers);
        await addVanished(queue, outstanding, add, work.log);
        if (Date.now() - lastNews > QUIET_MS) {
          lastNews = Date.now();
          progress.log(`[generate] waiting: ${outstanding.size} chunk jobs queued or running, ${done}/${chunks} chunks done, ${workers} workers connected (start some: kd worker --queue ${redisName(opts.url)})`, work.log);
        }
      }
    }
  } finally {
    await queue.close();
  }
  progress.finish();
  return { seconds: progress.seconds, peakRssMb: progress.peakRssMb };
}

/**
 * Adds a chunk's job unless Redis has it: a job an earlier coordinator added is taken as it is
 * (waiting, running, or finished and waiting to be collected); one that failed for good is tried again.
 */
async function enqueue(queue: Queue<ChunkJob, ChunkJobResult>, data: ChunkJob, add: (d: ChunkJob) => Promise<unknown>, log: (m: string) => void): Promise<string> {
  const id = jobId(data.stage, data.chunk);
  const state = await queue.getJobState(id);
  if (state === 'failed') {
    log(`[generate] ${describeChunk(data)} failed in an earlier run (${(await queue.getJob(id))?.failedReason}): trying it again`);
    await queue.remove(id);
  }
  if (state === 'unknown' || state === 'failed') await add(data);
  return state;
}

/** Jobs Redis no longer has (it restarted without persistence, or was flushed) go back in. */
async function addVanished(queue: Queue<ChunkJob, ChunkJobResult>, outstanding: Map<string, ChunkJob>, add: (d: ChunkJob) => Promise<unknown>, log: (m: string) => void) {
  let vanished = 0;
  for (const [id, data] of outstanding) {
    if ((await queue.getJobState(id)) !== 'unknown') continue;
    await add(data);
    vanished++;
  }
  if (vanished) log(`[generate] ${vanished} chunk jobs were gone from Redis (restarted without persistence, or flushed): added again`);
}

/** This stage's finished jobs still in Redis (a coordinator killed between writing a part and removing its job). */
async function clearLeftovers(queue: Queue<ChunkJob, ChunkJobResult>, stage: string) {
  for (const id of await queue.getRanges(['completed', 'failed'], 0, -1)) if (id.startsWith(`${stage}.`)) await queue.remove(id).catch(() => 0);
}
