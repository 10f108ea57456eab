// Whole onnxruntime runs side by side on worker threads ("lanes"): each lane holds its own session
// of the same model on one kernel thread, and a batch's rows are shared out among them. Why:
// onnxruntime-node runs a session on the JavaScript thread (run() is synchronous under its
// promise), so two sessions in one thread never overlap; and a beam search step of the models kd
// distils is many small kernels, where one split over two threads waits for both more than it
// gains. Measured on 2 cores, 512 test sentences in batches of 64 through OnnxSeq2Seq (2026-12-01,
// the ddtp Seq-KD student, 2M parameters): greedy 507 -> 586-662 sentences/s, beam 5 119-123 ->
// 158-168, the same n-best and scores. (The classify demo's models gained nothing: not used there.)
import type { Worker } from 'node:worker_threads';

import { startWorker } from '../util/workerThread.js';
import type { Ort, OrtTensor } from './ort.js';
import { sessionOptions } from './ort.js';

export interface PlainTensor {
  type: string;
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Float64Array;
  dims: readonly number[];
}
export interface LaneSetup {
  model: string | Uint8Array; // a file, or the model's bytes
  options: ReturnType<typeof sessionOptions>;
}
export interface LaneRequest {
  id: number;
  feeds: Record<string, PlainTensor>;
}
export interface LaneReply {
  ready?: boolean;
  id?: number;
  outputs?: Record<string, PlainTensor>;
  error?: string;
}

type Outputs = Record<string, OrtTensor>;
interface Lane {
  worker: Worker;
  pending: number;
}

export class SessionLanes {
  private readonly waiting = new Map<number, { resolve: (o: Outputs) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failed: Error | undefined;

  private constructor(
    private readonly ort: Ort,
    private readonly lanes: Lane[],
    private readonly label: string,
  ) {}

  /** `lanes` workers, each with a session of `model` on one kernel thread; label names the model in errors. */
  static async open(ort: Ort, model: string | Uint8Array, lanes: number, label: string): Promise<SessionLanes> {
    const setup: LaneSetup = { model, options: sessionOptions(1) };
    const workers = Array.from({ length: lanes }, () =>
      startWorker(new URL('./sessionLaneWorker.ts', import.meta.url), setup),
    );
    const started = await Promise.allSettled(workers.map((w) => ready(w, label)));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw (failure as PromiseRejectedResult).reason;
    }
    const self = new SessionLanes(
      ort,
      workers.map((worker) => ({ worker, pending: 0 })),
      label,
    );
    for (const lane of self.lanes) self.listen(lane);
    return self;
  }

  get size(): number {
    return this.lanes.length;
  }

  /** One run on the lane with the least in hand (an idle one if any). */
  run(feeds: Outputs): Promise<Outputs> {
    if (this.failed) return Promise.reject(this.failed);
    const lane = this.lanes.reduce((a, b) => (b.pending < a.pending ? b : a));
    const id = this.next++;
    const plain: Record<string, PlainTensor> = {};
    for (const [name, t] of Object.entries(feeds))
      plain[name] = { type: t.type, data: t.data as PlainTensor['data'], dims: t.dims };
    return new Promise<Outputs>((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (o) => {
          this.settled(lane);
          resolve(o);
        },
        reject: (e) => {
          this.settled(lane);
          reject(e);
        },
      });
      // a lane keeps the process alive only while it has work in hand
      if (lane.pending++ === 0) lane.worker.ref();
      lane.worker.postMessage({ id, feeds: plain } satisfies LaneRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
  }

  private settled(lane: Lane): void {
    if (--lane.pending === 0) lane.worker.unref();
  }

  private listen(lane: Lane): void {
    lane.worker.unref();
    lane.worker.on('message', (r: LaneReply) => {
      const w = r.id === undefined ? undefined : this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id!);
      if (r.error !== undefined) w.reject(new Error(`${this.label}: onnxruntime failed in a lane: ${r.error}`));
      else w.resolve(this.tensors(r.outputs!));
    });
    const fail = (e: Error) => {
      this.failed ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    lane.worker.on('error', (e) => fail(new Error(`${this.label}: a lane failed: ${e.message}`)));
    lane.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`${this.label}: a lane exited with code ${code}`));
    });
  }

  private tensors(plain: Record<string, PlainTensor>): Outputs {
    const out: Outputs = {};
    for (const [name, t] of Object.entries(plain))
      out[name] = new this.ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    return out;
  }
}

function ready(worker: Worker, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('message', (r: LaneReply) =>
      r.ready ? resolve() : reject(new Error(`${label}: onnxruntime cannot load it: ${r.error}`)),
    );
    worker.once('error', (e) => reject(new Error(`${label}: a lane failed to start: ${e.message}`)));
  });
}
