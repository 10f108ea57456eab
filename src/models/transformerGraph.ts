// The Transformer, written once as ONNX graphs: a pre-LayerNorm encoder-decoder with tied
// embeddings and sinusoid positions (Vaswani et al. 2017). The same functions build the training
// graph (./trainingGraph.ts: parameters as graph inputs, dropout on, then a loss and its
// gradients) and the inference graphs in the layout and I/O names of Hugging Face's seq2seq
// exports (what transformers.js and OnnxSeq2Seq read): the encoder; the decoder over a whole
// prefix (also giving the KV cache as present.*); the decoder with past (one new token per step);
// and the merged decoder, an If over use_cache_branch holding both.
import { BOOL, FLOAT, INT64, OnnxGraph } from '../graph/onnxGraph.js';
import { sinusoids } from './positions.js';
import type { TransformerConfig } from './transformerConfig.js';
import type { Weights } from './weights.js';

export type { Weights };

const NEG = -1e9;

/**
 * What the model functions build with: the graph, the sizes, `w` naming a parameter's value (an
 * initializer in an export, a graph input in training), `drop` (dropout in training, identity
 * otherwise) and the sinusoid table's size.
 */
export interface Ctx {
  g: OnnxGraph;
  c: Pick<TransformerConfig, 'dModel' | 'heads' | 'ffDim' | 'encLayers' | 'decLayers' | 'vocabSize'>;
  w: (name: string) => string;
  drop: (v: string) => string;
  maxPositions: number;
}

/** An inference context: parameters become initializers, once each (`seen` is shared by If branches). */
export function context(g: OnnxGraph, c: Ctx['c'], weights: Weights, seen: Set<string>, maxPositions = 1024): Ctx {
  return {
    g,
    c,
    maxPositions,
    drop: (v) => v,
    w: (name) => {
      if (!seen.has(name)) {
        const { data, dims } = weights(name);
        g.initializer(name, data, dims);
        seen.add(name);
      }
      return name;
    },
  };
}

export const layerNorm = (x: Ctx, name: string, v: string) =>
  x.g.op('LayerNormalization', [v, x.w(`${name}.g`), x.w(`${name}.b`)], { axis: { i: -1 }, epsilon: { f: 1e-5 } });
export const linear = (x: Ctx, name: string, v: string) =>
  x.g.op('Add', [x.g.op('MatMul', [v, x.w(`${name}.w`)]), x.w(`${name}.b`)]);

/** [b, l, d] -> [b, heads, l, d/heads] (named `output` when given: a graph output such as a present) */
function splitHeads(x: Ctx, v: string, output?: string): string {
  const dh = x.c.dModel / x.c.heads;
  return x.g.op(
    'Transpose',
    [x.g.op('Reshape', [v, x.g.ints([0, -1, x.c.heads, dh])])],
    { perm: { ints: [0, 2, 1, 3] } },
    output,
  );
}

/** Scaled dot-product attention over split heads; returns [b, lq, d] before the output projection. */
function attend(x: Ctx, q: string, k: string, v: string, mask: string | null): string {
  const dh = x.c.dModel / x.c.heads;
  const kt = x.g.op('Transpose', [k], { perm: { ints: [0, 1, 3, 2] } });
  let scores = x.g.op('Div', [x.g.op('MatMul', [q, kt]), x.g.floatScalar(Math.sqrt(dh))]);
  if (mask) scores = x.g.op('Add', [scores, mask]);
  const ctx = x.g.op('MatMul', [x.g.op('Softmax', [scores], { axis: { i: -1 } }), v]);
  return x.g.op('Reshape', [
    x.g.op('Transpose', [ctx], { perm: { ints: [0, 2, 1, 3] } }),
    x.g.ints([0, -1, x.c.dModel]),
  ]);
}

const feedForward = (x: Ctx, name: string, v: string) =>
  linear(x, `${name}.2`, x.g.op('Relu', [linear(x, `${name}.1`, v)]));

/** size of dimension `axis` of v, as an int64 scalar */
const dimOf = (x: Ctx, v: string, axis: number) => x.g.op('Gather', [x.g.op('Shape', [v]), x.g.ints([axis], true)]);

/** token embeddings * sqrt(d) + sinusoids for positions start .. start + length */
function embed(x: Ctx, ids: string, start: string): string {
  const length = dimOf(x, ids, 1);
  const pos = x.g.op('Range', [start, x.g.op('Add', [start, length]), x.g.ints([1], true)]);
  const tokens = x.g.op('Mul', [x.g.op('Gather', [x.w('embed'), ids]), x.g.floatScalar(Math.sqrt(x.c.dModel))]);
  const table = x.g.floatTensor(`positions${x.maxPositions}x${x.c.dModel}`, sinusoids(x.maxPositions, x.c.dModel), [
    x.maxPositions,
    x.c.dModel,
  ]);
  return x.drop(x.g.op('Add', [tokens, x.g.op('Gather', [table, pos])]));
}

/** attention_mask [b, s] (1 token, 0 padding) -> additive [b, 1, 1, s] */
function paddingMask(x: Ctx, mask: string): string {
  const pad = x.g.op('Sub', [x.g.floatScalar(1), x.g.op('Cast', [mask], { to: { i: x.g.dtype } })]);
  return x.g.op('Unsqueeze', [x.g.op('Mul', [pad, x.g.floatScalar(NEG)]), x.g.ints([1, 2])]);
}

/**
 * The encoder over input_ids and attention_mask (graph inputs already declared): embeddings,
 * c.encLayers pre-LayerNorm layers, the final norm 'enc.ln'; returns the states' value name.
 * The classifier export runs the same encoder (src/export/classifierGraph.ts).
 */
export function encoderStates(x: Ctx, ids: string, attentionMask: string, output?: string): string {
  const { g, c } = x;
  const mask = paddingMask(x, attentionMask);
  let h = embed(x, ids, g.ints([0], true));
  for (let l = 0; l < c.encLayers; l++) {
    const n1 = layerNorm(x, `enc${l}.ln1`, h);
    const self = attend(
      x,
      splitHeads(x, linear(x, `enc${l}.self.q`, n1)),
      splitHeads(x, linear(x, `enc${l}.self.k`, n1)),
      splitHeads(x, linear(x, `enc${l}.self.v`, n1)),
      mask,
    );
    h = g.op('Add', [h, x.drop(linear(x, `enc${l}.self.o`, self))]);
    h = g.op('Add', [h, x.drop(feedForward(x, `enc${l}.ff`, layerNorm(x, `enc${l}.ln2`, h)))]);
  }
  return g.op(
    'LayerNormalization',
    [h, x.w('enc.ln.g'), x.w('enc.ln.b')],
    { axis: { i: -1 }, epsilon: { f: 1e-5 } },
    output,
  );
}

/** An inference graph's token inputs: input_ids and attention_mask [batch, len] (int64). */
export function idsAndMask(g: OnnxGraph, len: string): [string, string] {
  return [g.input('input_ids', INT64, ['batch', len]), g.input('attention_mask', INT64, ['batch', len])];
}

export function encoderGraph(c: TransformerConfig, weights: Weights, maxPositions = 1024): OnnxGraph {
  const g = new OnnxGraph('kd_encoder');
  const x = context(g, c, weights, new Set(), maxPositions);
  encoderStates(x, ...idsAndMask(g, 'src_len'), 'last_hidden_state');
  g.output('last_hidden_state', FLOAT, ['batch', 'src_len', c.dModel]);
  return g;
}

export const pastName = (l: number, part: 'decoder' | 'encoder', kv: 'key' | 'value') => `${l}.${part}.${kv}`;

/** The decoder's input names; `past` names a cache input from its pastName (Hugging Face's past_key_values.* by default). */
export interface DecoderIo {
  ids: string;
  states: string;
  mask: string;
  past?: (name: string) => string;
}
const DECODER_IO: DecoderIo = { ids: 'input_ids', states: 'encoder_hidden_states', mask: 'encoder_attention_mask' };

/**
 * The decoder body. Without past: the whole prefix, causal mask, cross keys from the encoder
 * states. With past: one new token per row, self keys appended to the past, cross keys from the
 * past. Outputs logits and present.* (all four per layer, so the If branches match).
 */
export function decoderBody(
  x: Ctx,
  withPast: boolean,
  names: { present: ((n: string) => string) | null; logits: string },
  encoderPresents = true,
  io: DecoderIo = DECODER_IO,
): void {
  const { g, c } = x;
  const ids = io.ids;
  const pastIn = io.past ?? ((n: string) => `past_key_values.${n}`);
  const crossMask = paddingMask(x, io.mask);
  const start = withPast ? dimOf(x, pastIn(pastName(0, 'decoder', 'key')), 2) : g.ints([0], true);
  let selfMask: string | null = null;
  if (!withPast) {
    const r = g.op('Range', [g.ints([0], true), dimOf(x, ids, 1), g.ints([1], true)]);
    const later = g.op('Greater', [g.op('Unsqueeze', [r, g.ints([0])]), g.op('Unsqueeze', [r, g.ints([1])])]);
    selfMask = g.op('Mul', [g.op('Cast', [later], { to: { i: g.dtype } }), g.floatScalar(NEG)]);
  }
  let h = embed(x, ids, start);
  const present = (l: number, part: 'decoder' | 'encoder', kv: 'key' | 'value') =>
    names.present?.(pastName(l, part, kv));
  for (let l = 0; l < c.decLayers; l++) {
    const n1 = layerNorm(x, `dec${l}.ln1`, h);
    // keys and values are written under their present names (graph outputs, no copy)
    const selfKv = (kv: 'key' | 'value') => {
      const fresh = splitHeads(
        x,
        linear(x, `dec${l}.self.${kv === 'key' ? 'k' : 'v'}`, n1),
        withPast ? undefined : present(l, 'decoder', kv),
      );
      return withPast
        ? g.op('Concat', [pastIn(pastName(l, 'decoder', kv)), fresh], { axis: { i: 2 } }, present(l, 'decoder', kv))
        : fresh;
    };
    const k = selfKv('key');
    const v = selfKv('value');
    h = g.op('Add', [
      h,
      x.drop(linear(x, `dec${l}.self.o`, attend(x, splitHeads(x, linear(x, `dec${l}.self.q`, n1)), k, v, selfMask))),
    ]);
    const n2 = layerNorm(x, `dec${l}.ln2`, h);
    const crossKv = (kv: 'key' | 'value') => {
      if (!withPast)
        return splitHeads(
          x,
          linear(x, `dec${l}.cross.${kv === 'key' ? 'k' : 'v'}`, io.states),
          encoderPresents ? present(l, 'encoder', kv) : undefined,
        );
      const past = pastIn(pastName(l, 'encoder', kv));
      // the merged decoder's branches must both give every present: the past, passed through
      if (encoderPresents && names.present) g.op('Identity', [past], {}, present(l, 'encoder', kv));
      return past;
    };
    const ck = crossKv('key');
    const cv = crossKv('value');
    h = g.op('Add', [
      h,
      x.drop(
        linear(x, `dec${l}.cross.o`, attend(x, splitHeads(x, linear(x, `dec${l}.cross.q`, n2)), ck, cv, crossMask)),
      ),
    ]);
    h = g.op('Add', [h, x.drop(feedForward(x, `dec${l}.ff`, layerNorm(x, `dec${l}.ln3`, h)))]);
  }
  const states = layerNorm(x, 'dec.ln', h);
  // tied output projection: onnxruntime folds the transpose of an initializer at load, and fuses
  // it into the product (FusedMatMul) in training
  const embT = g.op('Transpose', [x.w('embed')], { perm: { ints: [1, 0] } });
  g.op('Add', [g.op('MatMul', [states, embT]), x.w('out.bias')], {}, names.logits);
}

function decoderInputs(g: OnnxGraph, c: TransformerConfig, past: boolean, states: boolean): void {
  g.input('encoder_attention_mask', INT64, ['batch', 'src_len']);
  g.input('input_ids', INT64, ['batch', 'tgt_len']);
  if (states) g.input('encoder_hidden_states', FLOAT, ['batch', 'src_len', c.dModel]);
  if (past)
    forEachPast(c, (name, len) =>
      g.input(`past_key_values.${name}`, FLOAT, ['batch', c.heads, len, c.dModel / c.heads]),
    );
}

function decoderOutputs(g: OnnxGraph, c: TransformerConfig, selfLen: string, encoderPresents = true): void {
  g.output('logits', FLOAT, ['batch', 'tgt_len', c.vocabSize]);
  forEachPast(c, (name, len) => {
    if (encoderPresents || !name.includes('.encoder.'))
      g.output(`present.${name}`, FLOAT, ['batch', c.heads, len === 'past_len' ? selfLen : len, c.dModel / c.heads]);
  });
}

function forEachPast(c: TransformerConfig, fn: (name: string, len: string) => void): void {
  for (let l = 0; l < c.decLayers; l++) {
    for (const kv of ['key', 'value'] as const) fn(pastName(l, 'decoder', kv), 'past_len');
    for (const kv of ['key', 'value'] as const) fn(pastName(l, 'encoder', kv), 'src_len');
  }
}

export function decoderGraph(
  c: TransformerConfig,
  weights: Weights,
  withPast: boolean,
  maxPositions = 1024,
): OnnxGraph {
  const g = new OnnxGraph(withPast ? 'kd_decoder_with_past' : 'kd_decoder');
  decoderInputs(g, c, withPast, !withPast);
  // with past, the encoder's keys and values are inputs that never change: not given back (as
  // Hugging Face's decoder_with_past exports do), saving a copy of them at every step
  decoderBody(
    context(g, c, weights, new Set(), maxPositions),
    withPast,
    { present: (n) => `present.${n}`, logits: 'logits' },
    !withPast,
  );
  decoderOutputs(g, c, withPast ? 'past_len + 1' : 'tgt_len', !withPast);
  return g;
}

/** Both decoders in one file, chosen by use_cache_branch (transformers.js loads Marian only so). */
export function mergedDecoderGraph(c: TransformerConfig, weights: Weights, maxPositions = 1024): OnnxGraph {
  const g = new OnnxGraph('kd_decoder_merged');
  decoderInputs(g, c, true, true);
  const useCache = g.input('use_cache_branch', BOOL, [1]);
  const seen = new Set<string>();
  const branch = (withPast: boolean) => {
    const b = new OnnxGraph(withPast ? 'with_past' : 'no_past', withPast ? 'wp/' : 'np/', g);
    const prefix = withPast ? 'wp.' : 'np.';
    decoderBody(context(b, c, weights, seen, maxPositions), withPast, {
      present: (n) => `${prefix}present.${n}`,
      logits: `${prefix}logits`,
    });
    b.output(`${prefix}logits`, FLOAT, ['batch', 'tgt_len', c.vocabSize]);
    forEachPast(c, (name) =>
      b.output(`${prefix}present.${name}`, FLOAT, ['batch', c.heads, 'present_len', c.dModel / c.heads]),
    );
    return b;
  };
  const outs = ['logits'];
  forEachPast(c, (name) => outs.push(`present.${name}`));
  g.node(
    'If',
    [g.op('Squeeze', [useCache, g.ints([0])])],
    { then_branch: { g: branch(true) }, else_branch: { g: branch(false) } },
    outs,
  );
  decoderOutputs(g, c, 'present_len');
  return g;
}
