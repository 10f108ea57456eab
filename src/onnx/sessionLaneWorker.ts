// One lane of ./sessionLanes.ts: an onnxruntime session of its own on one kernel thread. Per
// message it runs the feeds it is given and answers with every output. It imports onnxruntime
// alone, so a lane starts in a fraction of a second.
import { parentPort, workerData } from 'node:worker_threads';

import type * as OrtTypes from 'onnxruntime-node';

import type { LaneReply, LaneRequest, LaneSetup, PlainTensor } from './sessionLanes.js';

const setup = workerData as LaneSetup;
const port = parentPort!;
const mod = (await import('onnxruntime-node')) as typeof OrtTypes & { default?: typeof OrtTypes };
const ort = mod.default ?? mod;

let session: OrtTypes.InferenceSession;
try {
  session = await ort.InferenceSession.create(setup.model as never, setup.options);
  port.postMessage({ ready: true } satisfies LaneReply);
} catch (err) {
  port.postMessage({ error: (err as Error).message } satisfies LaneReply);
}

port.on('message', (req: LaneRequest) => {
  void (async () => {
    try {
      const feeds: Record<string, OrtTypes.Tensor> = {};
      for (const [name, t] of Object.entries(req.feeds))
        feeds[name] = new ort.Tensor(t.type as never, t.data as never, t.dims);
      const out = await session.run(feeds);
      const outputs: Record<string, PlainTensor> = {};
      for (const [name, t] of Object.entries(out))
        outputs[name] = { type: t.type, data: t.data as PlainTensor['data'], dims: [...t.dims] };
      port.postMessage({ id: req.id, outputs } satisfies LaneReply);
    } catch (err) {
      port.postMessage({ id: req.id, error: (err as Error).message } satisfies LaneReply);
    }
  })();
});
