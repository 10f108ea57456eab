// Data parallelism over worker threads. tfjs-wasm runs one thread in Node (its threaded build is
// browser-only: tfjs issue 3830), so a second core does nothing for training unless a second
// engine runs there. Each step the batch is split by sentences into one shard per replica (about
// equal target tokens); this thread computes the first shard while each worker computes one other,
// on its own copy of the model; the gradients are combined weighted by each shard's target tokens,
// which gives the gradient of the whole batch's mean loss (every loss is a mean over target
// tokens; test/train.dataParallel.test.ts checks the loss curve against one thread). Parameters go
// to the workers, and gradients come back, through shared memory: no copy per message.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';

import type { SentenceSoftTargets, SoftTargetLookup } from '../data/softTargets.js';
import { tf } from '../engine/tf.js';
import type { Transformer } from '../models/transformer.js';
import { startWorker } from '../util/workerThread.js';
import type { Batch } from './batches.js';
import { type BatchGradients, gradientsHere, type GradientSource, LocalGradients, targetTokens } from './gradients.js';
import type { LossConfig } from './lossForBatch.js';

/**
 * Below this many parameters (the test suite's toy models) a step takes milliseconds and starting
 * the workers costs more than they save. Measured (.scratch, wasm, 2 cores, batches of 2,000 target
 * tokens, vocabulary 2,000): 125k parameters 485 -> 379 ms a step with 2 replicas, 364k 1,033 ->
 * 494 ms, 1.2M 1,616 -> 1,051 ms.
 */
export const MIN_PARALLEL_PARAMS = 100_000;

/** Replicas when the config says 0 (auto): one per core (at most 8) for the JavaScript engines, one for a native backend (already multithreaded) or a small model. */
export function autoReplicas(backend: string, params: number, cores = availableParallelism()): number {
  if (backend !== 'wasm' && backend !== 'cpu') return 1;
  if (params < MIN_PARALLEL_PARAMS) return 1;
  return Math.max(1, Math.min(8, cores));
}

/** Contiguous groups of sentences with about equal target tokens; never an empty group. */
export function splitBatch(batch: Batch, parts: number): Batch[] {
  const n = batch.examples.length;
  const groups = Math.max(1, Math.min(parts, n));
  const total = targetTokens(batch);
  const out: Batch[] = [];
  let start = 0;
  let seen = 0;
  for (let g = 0; g < groups; g++) {
    let end = start;
    const goal = (total * (g + 1)) / groups;
    // take sentences until this group reaches its share, leaving one for each group still to come
    while (end < n - (groups - g - 1) && (end === start || seen + batch.tgtOut[end].length / 2 <= goal))
      seen += batch.tgtOut[end++].length;
    if (g === groups - 1) while (end < n) seen += batch.tgtOut[end++].length;
    out.push({
      examples: batch.examples.slice(start, end),
      srcRows: batch.srcRows.slice(start, end),
      tgtIn: batch.tgtIn.slice(start, end),
      tgtOut: batch.tgtOut.slice(start, end),
    });
    start = end;
  }
  return out;
}

interface WorkerReply {
  loss?: number;
  error?: string;
}

export class DataParallelGradients implements GradientSource {
  private readonly names: string[];
  private readonly sizes: number[];
  private readonly params: Float32Array; // shared: this thread writes, workers read
  private readonly grads: Float32Array[]; // shared: one per worker, it writes, this thread reads
  private readonly workers: Worker[] = [];
  private pending = new Map<Worker, (r: WorkerReply) => void>();
  private failed: Error | undefined;

  private constructor(
    private readonly model: Transformer,
    readonly replicas: number,
  ) {
    this.names = [...model.params.keys()];
    this.sizes = [...model.params.values()].map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.params = new Float32Array(new SharedArrayBuffer(total * 4));
    this.grads = Array.from({ length: replicas - 1 }, () => new Float32Array(new SharedArrayBuffer(total * 4)));
  }

  static async start(model: Transformer, replicas: number): Promise<DataParallelGradients> {
    const dp = new DataParallelGradients(model, replicas);
    for (const grads of dp.grads) {
      const worker = startWorker(new URL('./gradientWorker.ts', import.meta.url), {
        backend: tf.getBackend(),
        config: model.config,
        names: dp.names,
        sizes: dp.sizes,
        params: dp.params,
        grads,
      });
      worker.on('message', (r: WorkerReply) => dp.settle(worker, r));
      worker.on('error', (e) => dp.fail(new Error(`training worker failed: ${e.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) dp.fail(new Error(`training worker exited with code ${code}`));
      });
      dp.workers.push(worker);
    }
    // each worker answers once when its engine is ready
    const ready = await Promise.all(dp.workers.map((w) => dp.reply(w)));
    const bad = ready.find((r) => r.error !== undefined);
    if (bad) {
      await dp.close();
      throw new Error(bad.error);
    }
    return dp;
  }

  private reply(worker: Worker): Promise<WorkerReply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve) => this.pending.set(worker, resolve));
  }

  private settle(worker: Worker, r: WorkerReply): void {
    const done = this.pending.get(worker);
    this.pending.delete(worker);
    done?.(r);
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const [w, done] of this.pending) {
      done({ error: err.message });
      this.pending.delete(w);
    }
  }

  async compute(batch: Batch, loss: LossConfig, soft?: SoftTargetLookup): Promise<BatchGradients> {
    if (this.failed) throw this.failed;
    const shards = splitBatch(batch, this.replicas);
    this.publishParams();
    // every message is built before any is sent: a failed lookup then leaves no worker busy
    const jobs = shards.slice(1).map((shard) => ({ shard, loss, soft: soft && shardSoftTargets(shard, soft) }));
    const replies = jobs.map((job, i) => {
      const reply = this.reply(this.workers[i]);
      this.workers[i].postMessage(job);
      return reply;
    });
    const here = gradientsHere(this.model, shards[0], loss, soft);
    const hereLoss = (await here.loss.data())[0];
    here.loss.dispose();
    const answers = await Promise.all(replies);
    const bad = answers.find((a) => a.error !== undefined);
    if (bad) {
      tf.dispose(here.grads);
      throw new Error(bad.error);
    }
    const weights = shards.map((s) => targetTokens(s) / targetTokens(batch));
    const vars = [...this.model.params.values()];
    const grads: tf.NamedTensorMap = {};
    let offset = 0;
    vars.forEach((v, p) => {
      const size = this.sizes[p];
      grads[v.name] = tf.tidy(() => {
        let g = tf.mul(here.grads[v.name], weights[0]);
        for (let w = 1; w < shards.length; w++) {
          // a copy: the cpu backend would otherwise keep the shared buffer as the tensor's storage
          const theirs = tf.tensor(this.grads[w - 1].slice(offset, offset + size), v.shape);
          g = tf.add(g, tf.mul(theirs, weights[w]));
        }
        return g;
      });
      offset += size;
    });
    tf.dispose(here.grads);
    const lossValue = answers.reduce((s, a, w) => s + a.loss! * weights[w + 1], hereLoss * weights[0]);
    return { loss: lossValue, grads };
  }

  /** The current parameters into shared memory, for the workers to load before their shard. */
  private publishParams(): void {
    let offset = 0;
    for (const v of this.model.params.values()) {
      this.params.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** The soft targets of a shard's sentences, as plain rows a worker can look up by sentence index. */
function shardSoftTargets(
  shard: Batch,
  soft: SoftTargetLookup,
): { topK: number; rows: Array<[number, SentenceSoftTargets]> } {
  return { topK: soft.manifest.topK, rows: shard.examples.map((e) => [e.index, soft.get(e.index)]) };
}

/** The engine training uses: one thread, or `replicas` of them (0 = autoReplicas). */
export async function gradientSource(model: Transformer, replicas: number): Promise<GradientSource> {
  const params = [...model.params.values()].reduce((n, v) => n + v.size, 0);
  const r = replicas > 0 ? replicas : autoReplicas(tf.getBackend(), params);
  return r <= 1 ? new LocalGradients(model) : DataParallelGradients.start(model, r);
}
