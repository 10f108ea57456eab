// One replica of data-parallel training (./dataParallel.ts): its own tfjs engine and copy of the
// model. Per message it loads the parameters from shared memory, computes the loss and gradients
// of its shard, writes the gradients to its shared buffer and answers with the loss.
import { parentPort, workerData } from 'node:worker_threads';

import type { SentenceSoftTargets, SoftTargetLookup } from '../data/softTargets.js';
import { initBackend, tf } from '../engine/tf.js';
import { Transformer } from '../models/transformer.js';
import type { TransformerConfig } from '../models/transformerConfig.js';
import type { Batch } from './batches.js';
import { gradientsHere } from './gradients.js';
import type { LossConfig } from './lossForBatch.js';

interface Setup {
  backend: string;
  config: TransformerConfig;
  names: string[];
  sizes: number[];
  params: Float32Array;
  grads: Float32Array;
}
interface Job {
  shard: Batch;
  loss: LossConfig;
  soft?: { topK: number; rows: Array<[number, SentenceSoftTargets]> };
}

const setup = workerData as Setup;
const port = parentPort!;

function lookup(soft: NonNullable<Job['soft']>): SoftTargetLookup {
  const rows = new Map(soft.rows);
  return {
    manifest: { topK: soft.topK },
    get: (i) => {
      const r = rows.get(i);
      if (!r) throw new Error(`training worker: no soft targets shipped for sentence ${i}`);
      return r;
    },
  };
}

function run(model: Transformer, job: Job): number {
  let offset = 0;
  setup.names.forEach((name, p) => {
    const v = model.params.get(name)!;
    // a copy: the cpu backend would otherwise keep the shared buffer as the variable's storage
    const value = tf.tensor(setup.params.slice(offset, offset + setup.sizes[p]), v.shape);
    v.assign(value);
    value.dispose();
    offset += setup.sizes[p];
  });
  const { loss, grads } = gradientsHere(model, job.shard, job.loss, job.soft && lookup(job.soft));
  offset = 0;
  setup.names.forEach((name, p) => {
    const g = grads[model.params.get(name)!.name];
    setup.grads.set(g.dataSync() as Float32Array, offset);
    offset += setup.sizes[p];
  });
  const value = loss.dataSync()[0];
  tf.dispose(loss);
  tf.dispose(grads);
  return value;
}

await initBackend(setup.backend);
// the initial values are overwritten from shared memory before every shard
const model = Transformer.init(setup.config, 0);
port.on('message', (job: Job) => {
  try {
    port.postMessage({ loss: run(model, job) });
  } catch (err) {
    port.postMessage({ error: `training worker: ${(err as Error).message}` });
  }
});
port.postMessage({ ready: true });
