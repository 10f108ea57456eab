// The coordinator's jobs in Redis: one per chunk under a fixed id (STAGE.START), so that adding a
// job again is harmless and a restarted coordinator finds what its predecessor left. Results are
// taken only from the completed set, and a job is removed only after its parts are written: a
// coordinator killed in between finds the job finished and writes the same bytes again.
import type { Queue } from 'bullmq';

import { type ChunkJob, type ChunkJobResult, describeChunk, jobId } from './jobs.js';

type ChunkQueue = Queue<ChunkJob, ChunkJobResult>;

export class ChunkJobs {
  /** jobs added (or taken up) and not yet collected, by id, with their data (to add again if Redis loses them) */
  readonly outstanding = new Map<string, ChunkJob>();

  constructor(
    private readonly queue: ChunkQueue,
    private readonly opts: { attempts: number; backoffMs: number },
    private readonly log: (m: string) => void,
  ) {}

  private add(data: ChunkJob) {
    const { attempts, backoffMs } = this.opts;
    return this.queue.add('chunk', data, {
      jobId: jobId(data.stage, data.chunk),
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: false,
      removeOnFail: false,
    });
  }

  /**
   * Adds a chunk's job unless Redis has it: a job an earlier coordinator added is taken as it is
   * (waiting, running, or finished and waiting to be collected); one that failed for good is tried
   * again. Returns the state the job was found in ('unknown': it was not there).
   */
  async enqueue(data: ChunkJob): Promise<string> {
    const id = jobId(data.stage, data.chunk);
    this.outstanding.set(id, data);
    const state = await this.queue.getJobState(id);
    if (state === 'failed') {
      const reason = (await this.queue.getJob(id))?.failedReason;
      this.log(`[generate] ${describeChunk(data)} failed in an earlier run (${reason}): trying it again`);
      await this.queue.remove(id);
    }
    if (state === 'unknown' || state === 'failed') await this.add(data);
    return state;
  }

  /** Hands each finished job's data and result to `take` (which writes its parts), then removes the job. */
  async collect(take: (data: ChunkJob, result: ChunkJobResult) => void): Promise<void> {
    for (const id of await this.queue.getRanges(['completed'], 0, -1)) {
      const data = this.outstanding.get(id);
      const job = data && (await this.queue.getJob(id));
      if (!data || !job) continue; // another stage's, or gone (addVanished adds it again)
      try {
        take(data, job.returnvalue);
      } catch (e) {
        await job.remove(); // a result that cannot be used: the next run decodes the chunk again
        throw e;
      }
      this.outstanding.delete(id);
      await job.remove().catch(() => {}); // left over: clearLeftovers removes it at the end
    }
  }

  /** A job of ours that failed for good (its attempts spent), as an error saying what to do. */
  async failure(): Promise<Error | null> {
    for (const id of await this.queue.getRanges(['failed'], 0, -1)) {
      const data = this.outstanding.get(id);
      const job = data && (await this.queue.getJob(id));
      if (data && job) {
        return new Error(
          `${describeChunk(data)} failed ${job.attemptsMade} times; the last error: ${job.failedReason}. ` +
            'Fix its cause and run kd generate --queue again: finished chunks are kept, this one is tried again',
        );
      }
    }
    return null;
  }

  /** Adds again the jobs Redis no longer has (it restarted without persistence, or was flushed). */
  async addVanished(): Promise<void> {
    let vanished = 0;
    for (const [id, data] of this.outstanding) {
      if ((await this.queue.getJobState(id)) !== 'unknown') continue;
      await this.add(data);
      vanished++;
    }
    if (vanished)
      this.log(
        `[generate] ${vanished} chunk jobs were gone from Redis (restarted without persistence, or flushed): added again`,
      );
  }

  /** Removes this stage's finished jobs still in Redis (a coordinator killed between writing a part and removing its job). */
  async clearLeftovers(stage: string): Promise<void> {
    for (const id of await this.queue.getRanges(['completed', 'failed'], 0, -1))
      if (id.startsWith(`${stage}.`)) await this.queue.remove(id).catch(() => 0);
  }
}
