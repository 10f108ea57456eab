// The Transformer of ./transformerGraph.ts in onnxruntime's fused contrib operators, for the graphs
// that run on onnxruntime alone anyway (the beam search's, ./beamSearchGraph.ts): the same layers,
// weights and names, for inference only (no dropout, no gradients). com.microsoft
// MultiHeadAttention stands where attend() and its head splits write ten nodes, and
// SkipLayerNormalization where a residual join writes three (the sublayer's bias, the sum, the next
// norm). A decoder step is a few dozen small nodes, and on the small models each node's fixed cost
// is most of a step (eval/bench/NOTES.md). test/decode.nativeBeamSearch.test.ts holds the search
// over these graphs equal to the step-by-step search over ./transformerGraph.ts's.
import {
  type Ctx,
  type DecoderIo,
  dimOf,
  embed,
  layerNorm,
  linear,
  NEG,
  outputLogits,
  pastName,
} from './transformerGraph.js';

const MS = 'com.microsoft';

/** v @ W without its bias (the fused operators add it) */
const project = (x: Ctx, name: string, v: string) => x.g.op('MatMul', [v, x.w(`${name}.w`)]);

/** q, k and v's biases as one [3d] vector, as MultiHeadAttention takes them (onnxruntime folds it at load) */
const qkvBias = (x: Ctx, name: string) =>
  x.g.op('Concat', [x.w(`${name}.q.b`), x.w(`${name}.k.b`), x.w(`${name}.v.b`)], { axis: { i: 0 } });

interface AttendOptions {
  /** int32 [b, lk]: 1 a key, 0 padding */
  mask?: string;
  /** the self-attention's cache [b, heads, past, d/heads], this step's keys and values appended */
  past?: [string, string];
  /** names for the keys and values attended to, split into heads */
  present?: [string, string];
  causal?: boolean;
}

/**
 * Attention `name` of [b, lq, d] queries over [b, lk, d] states (projected here), or over keys and
 * values already projected and split into heads (`kv` as {key, value}: the cross-attention's cache).
 * Returns [b, lq, d] before the output projection.
 */
function attend(
  x: Ctx,
  name: string,
  q: string,
  kv: string | { key: string; value: string },
  o: AttendOptions,
): string {
  const { g } = x;
  const inputs =
    typeof kv === 'string'
      ? [project(x, `${name}.q`, q), project(x, `${name}.k`, kv), project(x, `${name}.v`, kv), qkvBias(x, name)]
      : [linear(x, `${name}.q`, q), kv.key, kv.value, ''];
  inputs.push(o.mask ?? '', '', ...(o.past ?? []));
  while (inputs.at(-1) === '') inputs.pop();
  const attrs = {
    num_heads: { i: x.c.heads },
    mask_filter_value: { f: NEG },
    ...(o.causal ? { unidirectional: { i: 1 } } : {}),
  };
  return g.node('MultiHeadAttention', inputs, attrs, [g.fresh('MultiHeadAttention'), ...(o.present ?? [])], MS)[0];
}

/**
 * A residual join and the norm after it: h + (v + `bias`), and LayerNorm `norm` of that sum.
 * Returns [the normed sum, the sum]; with `output`, the normed sum is that graph output and the
 * sum is not kept (the last join).
 */
function joinAndNorm(x: Ctx, h: string, v: string, bias: string, norm: string, output?: string): [string, string] {
  const { g } = x;
  const inputs = [v, h, x.w(`${norm}.g`), x.w(`${norm}.b`), x.w(bias)];
  const outputs = output ? [output] : [g.fresh('SkipLayerNormalization'), '', '', g.fresh('ResidualSum')];
  const outs = g.node('SkipLayerNormalization', inputs, { epsilon: { f: 1e-5 } }, outputs, MS);
  return [outs[0], outs[3] ?? ''];
}

const feedForward = (x: Ctx, name: string, normed: string) =>
  project(x, `${name}.2`, x.g.op('Relu', [linear(x, `${name}.1`, normed)]));

/** The norm a layer's last join ends with: the next layer's first, or the stack's final one. */
const nextNorm = (prefix: string, l: number, layers: number) =>
  l + 1 < layers ? `${prefix}${l + 1}.ln1` : `${prefix}.ln`;

/** ./transformerGraph.ts's encoderStates, fused; the mask is int32 [b, s]; the states are named `output`. */
export function fusedEncoderStates(x: Ctx, ids: string, mask: string, output: string): void {
  const layers = x.c.encLayers;
  if (layers < 1) throw new Error('the fused encoder needs at least one layer');
  let h = embed(x, ids, x.g.ints([0], true));
  let n = layerNorm(x, 'enc0.ln1', h);
  for (let l = 0; l < layers; l++) {
    const self = attend(x, `enc${l}.self`, n, n, { mask });
    [n, h] = joinAndNorm(x, h, project(x, `enc${l}.self.o`, self), `enc${l}.self.o.b`, `enc${l}.ln2`);
    const last = l + 1 === layers ? output : undefined;
    [n, h] = joinAndNorm(x, h, feedForward(x, `enc${l}.ff`, n), `enc${l}.ff.2.b`, nextNorm('enc', l, layers), last);
  }
}

/**
 * ./transformerGraph.ts's decoderBody, fused, as the beam search's subgraphs want it: the mask is
 * int32 [b, s]; without past, the cross keys and values are given as present.*; with past, they
 * are read from the past and not given back.
 */
export function fusedDecoderBody(
  x: Ctx,
  withPast: boolean,
  names: { present: (name: string) => string; logits: string },
  io: Required<DecoderIo>,
): void {
  const { g } = x;
  const layers = x.c.decLayers;
  if (layers < 1) throw new Error('the fused decoder needs at least one layer');
  const cache = (l: number, part: 'decoder' | 'encoder', io2: (n: string) => string): [string, string] => [
    io2(pastName(l, part, 'key')),
    io2(pastName(l, part, 'value')),
  ];
  const start = withPast ? dimOf(x, io.past(pastName(0, 'decoder', 'key')), 2) : g.ints([0], true);
  let h = embed(x, io.ids, start);
  let n = layerNorm(x, 'dec0.ln1', h);
  for (let l = 0; l < layers; l++) {
    const self = attend(x, `dec${l}.self`, n, n, {
      past: withPast ? cache(l, 'decoder', io.past) : undefined,
      present: cache(l, 'decoder', names.present),
      causal: !withPast,
    });
    [n, h] = joinAndNorm(x, h, project(x, `dec${l}.self.o`, self), `dec${l}.self.o.b`, `dec${l}.ln2`);
    const [pastKey, pastValue] = cache(l, 'encoder', io.past);
    const cross = withPast
      ? attend(x, `dec${l}.cross`, n, { key: pastKey, value: pastValue }, { mask: io.mask })
      : attend(x, `dec${l}.cross`, n, io.states, { mask: io.mask, present: cache(l, 'encoder', names.present) });
    [n, h] = joinAndNorm(x, h, project(x, `dec${l}.cross.o`, cross), `dec${l}.cross.o.b`, `dec${l}.ln3`);
    [n, h] = joinAndNorm(x, h, feedForward(x, `dec${l}.ff`, n), `dec${l}.ff.2.b`, nextNorm('dec', l, layers));
  }
  outputLogits(x, n, names.logits);
}
