// The translation Transformer's training step as one ONNX graph: the model of ./transformerGraph.ts
// with its parameters as graph inputs and dropout on, a loss (./graphLosses.ts), and every
// parameter's gradient from src/graph/autodiff.ts. onnxruntime runs it on native kernels; the
// optimizer step happens outside (src/train/adam.ts).
import { gradients } from '../graph/autodiff.js';
import { BOOL, DOUBLE, FLOAT, INT64, modelBytes, OnnxGraph } from '../graph/onnxGraph.js';
import { crossEntropy, logitMse, wordKd } from './graphLosses.js';
import { parameterShapes, type TransformerConfig } from './transformerConfig.js';
import { type Ctx, decoderBody, encoderStates } from './transformerGraph.js';

export interface LossSpec {
  kind: 'ce' | 'wordkd' | 'logitmse';
  alpha: number; // wordkd: weight of CE
  temperature: number; // wordkd: the soft targets' T
  labelSmoothing: number; // ce and wordkd's CE term
}

export interface TrainingGraph {
  bytes: Uint8Array;
  params: Array<[string, number[]]>; // graph inputs in this order, gradients as `grad.NAME`
  batchInputs: string[];
}

/**
 * Dropout is seeded per node (seed + node index): onnxruntime's kernel draws from its own
 * generator, so a session made with the same seeds and fed the same batches drops the same units.
 */
export function dropoutContext(g: OnnxGraph, rate: number, seed: number): (v: string) => string {
  if (rate <= 0) return (v) => v;
  let n = 0;
  const ratio = g.floatScalar(rate);
  return (v) => g.node('Dropout', [v, ratio, 'training'], { seed: { i: seed * 1000 + n++ } }, 1)[0];
}

/** Parameters as graph inputs, named as in checkpoints. */
export function parameterInputs(g: OnnxGraph, shapes: Array<[string, number[]]>): (name: string) => string {
  const names = new Set<string>();
  for (const [name, dims] of shapes) {
    g.input(name, g.dtype, dims);
    names.add(name);
  }
  return (name) => {
    if (!names.has(name)) throw new Error(`training graph: no parameter ${name}`);
    return name;
  };
}

/** Gradients of `loss` for every parameter, as graph outputs grad.NAME; the loss as output `loss`. */
export function finishTraining(g: OnnxGraph, loss: string, shapes: Array<[string, number[]]>): void {
  g.op('Identity', [loss], {}, 'loss');
  g.output('loss', g.dtype, []);
  const grads = gradients(
    g,
    'loss',
    shapes.map(([n]) => n),
  );
  shapes.forEach(([name, dims], i) => {
    g.op('Identity', [grads[i]], {}, `grad.${name}`);
    g.output(`grad.${name}`, g.dtype, dims);
  });
}

export function translationTrainingGraph(
  c: TransformerConfig,
  loss: LossSpec,
  seed: number,
  dtype = FLOAT,
  maxPositions = 1024,
): TrainingGraph {
  const g = new OnnxGraph('kd_train');
  g.dtype = dtype;
  const shapes = parameterShapes(c);
  const w = parameterInputs(g, shapes);
  g.input('training', BOOL, []);
  const src = g.input('src_ids', INT64, ['batch', 'src_len']);
  const srcMask = g.input('src_mask', INT64, ['batch', 'src_len']);
  const tgtIn = g.input('tgt_in', INT64, ['batch', 'tgt_len']);
  const gold = g.input('gold', INT64, ['positions']);
  const weights = g.input('weights', dtype, ['positions']);
  const batchInputs = ['training', 'src_ids', 'src_mask', 'tgt_in', 'gold', 'weights'];
  const x: Ctx = { g, c, w, drop: dropoutContext(g, c.dropout, seed), maxPositions };
  const states = encoderStates(x, src, srcMask);
  decoderBody(x, false, { present: null, logits: 'logits3' }, false, { ids: tgtIn, states, mask: srcMask });
  const logits = g.op('Reshape', ['logits3', g.ints([-1, c.vocabSize])]);
  let value: string;
  if (loss.kind === 'ce') value = crossEntropy(g, logits, gold, weights, loss.labelSmoothing);
  else {
    const ids = g.input('soft_ids', INT64, ['positions', 'k']);
    if (loss.kind === 'wordkd') {
      const probs = g.input('soft_probs', dtype, ['positions', 'k']);
      const plogp = g.input('soft_plogp', dtype, ['positions']);
      batchInputs.push('soft_ids', 'soft_probs', 'soft_plogp');
      value = wordKd(
        g,
        logits,
        gold,
        weights,
        { ids, probs, plogp },
        { alpha: loss.alpha, temperature: loss.temperature, smoothing: loss.labelSmoothing },
      );
    } else {
      batchInputs.push('soft_ids', 'soft_logp');
      value = logitMse(g, logits, ids, g.input('soft_logp', dtype, ['positions', 'k']), weights);
    }
  }
  finishTraining(g, value, shapes);
  return { bytes: modelBytes(g), params: shapes, batchInputs };
}

export { DOUBLE };
