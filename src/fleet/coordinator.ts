// kd generate --queue: the generate stage's missing chunks decoded by `kd worker`s through a
// BullMQ queue on Redis. The coordinator streams the split, keeps at most `window` chunk jobs in
// the queue (./chunkJobs.ts), and writes each finished chunk's parts itself from the job's result.
// Workers retry a failing chunk `attempts` times with exponential back-off; a job whose worker
// died returns to the queue when its lock expires (./worker.ts); a restarted coordinator takes up
// the jobs an earlier one left, and jobs Redis lost are added again.
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Queue } from 'bullmq';

import { chunkInputs, type ChunkSettings } from '../stages/generateChunks.js';
import { type ChunkExecutor, chunkProgress, type ChunkWork } from '../stages/generateLocal.js';
import { ConfigError } from '../util/errors.js';
import { ChunkJobs } from './chunkJobs.js';
import { type ChunkJob, type ChunkJobResult, decodeResult, JOB_FORMAT } from './jobs.js';
import { logOutages, redisConnection, redisName } from './redisConnection.js';
import { teacherForWorkers } from './teacherFolder.js';

export interface QueueOptions {
  url: string;
  name: string;
  /** the kd code version (src/ hash): workers running other code refuse the jobs */
  codeVersion: string;
  attempts: number; // tries per chunk before the run fails
  backoffMs: number; // first retry's delay, doubled each time
  window: number; // chunk jobs in the queue at once (more than there are workers)
  pollMs: number; // how often finished jobs are collected
}

/** Looks for jobs Redis lost and counts workers every this many polls. */
const SWEEP_POLLS = 20;
/** Says what it waits for when nothing has finished for this long. */
const QUIET_MS = 30_000;

export function queueExecutor(opts: QueueOptions): ChunkExecutor {
  return { decode: (work) => coordinate(opts, work) };
}

async function coordinate(opts: QueueOptions, work: ChunkWork) {
  if (!work.todo.length) return { seconds: 0, peakRssMb: 0 };
  if (work.config.engine === 'tfjs')
    throw new ConfigError(
      "'generate.engine' tfjs: a worker fleet decodes the teacher's ONNX export; use engine onnx (the default) with --queue",
    );
  const teacher = teacherForWorkers(work.inputs, work.outDir, work.log);
  const stage = basename(work.outDir);
  const { beam, nbest, lengthPenalty, maxLength, batchSize, softTargets } = work.config;
  const settings: ChunkSettings = { beam, nbest, lengthPenalty, maxLength, batchSize, softTargets };
  const queue = new Queue<ChunkJob, ChunkJobResult>(opts.name, { connection: redisConnection(opts.url) });
  logOutages(queue, opts.url, work.log);
  const jobs = new ChunkJobs(queue, opts, work.log);
  work.log(
    `[generate] ${work.todo.length} chunks for workers on ${redisName(opts.url)} (queue ${opts.name}; teacher ${teacher.dir}, hash ${teacher.hash})`,
  );

  const chunks = work.share.length;
  let done = chunks - work.todo.length;
  const progress = chunkProgress('generate (queue)', work);
  const todo = new Set(work.todo.map((c) => c.index));
  const inputs = chunkInputs(work.files.src, work.files.ref, work.config.chunk, (c) => todo.has(c.index))[
    Symbol.asyncIterator
  ]();
  let [exhausted, lastSweep, lastNews, workers] = [false, 0, Date.now(), 0];
  try {
    for (;;) {
      // the window refilled from the streamed split
      const inherited = { jobs: 0, finished: 0 };
      while (!exhausted && jobs.outstanding.size < opts.window) {
        const next = await inputs.next();
        if ((exhausted = !!next.done)) break;
        const { sources, refs, ...chunk } = next.value;
        const state = await jobs.enqueue({
          format: JOB_FORMAT,
          code: opts.codeVersion,
          stage,
          chunk,
          sources,
          refs,
          settings,
          teacher,
        });
        if (state !== 'unknown' && state !== 'failed') inherited.jobs++;
        if (state === 'completed') inherited.finished++;
      }
      if (inherited.jobs)
        work.log(
          `[generate] took up ${inherited.jobs} chunk jobs an earlier run left in Redis (${inherited.finished} of them finished)`,
        );
      if (exhausted && !jobs.outstanding.size) break;

      await sleep(opts.pollMs);
      await jobs.collect((data, result) => {
        work.parts.write(data.chunk, decodeResult(result));
        lastNews = Date.now();
        progress.tick(
          data.chunk.length,
          `chunks ${++done}/${chunks}, ${workers} workers (last: ${result.worker}, ${result.seconds.toFixed(1)} s)`,
        );
      });
      const failure = await jobs.failure();
      if (failure) throw failure;
      if (Date.now() - lastSweep > SWEEP_POLLS * opts.pollMs) {
        lastSweep = Date.now();
        workers = await queue.getWorkersCount().catch(() => workers);
        await jobs.addVanished();
        if (Date.now() - lastNews > QUIET_MS) {
          lastNews = Date.now();
          const waiting = `${jobs.outstanding.size} chunk jobs queued or running, ${done}/${chunks} chunks done, ${workers} workers connected`;
          progress.log(
            `[generate] waiting: ${waiting} (start some: kd worker --queue ${redisName(opts.url)})`,
            work.log,
          );
        }
      }
    }
    await jobs.clearLeftovers(stage);
  } finally {
    await queue.close();
  }
  progress.finish();
  return { seconds: progress.seconds, peakRssMb: progress.peakRssMb };
}
