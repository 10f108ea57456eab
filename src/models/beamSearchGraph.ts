// A whole batch's beam search as one onnxruntime node: com.microsoft's BeamSearch operator in its
// encoder-decoder form (model_type 1, written for T5) runs two subgraphs built from this model's
// definition: the encoder with the decoder's first step, then the decoder with past, step after
// step. The KV cache, the reordering of beams, log-softmax and the top 2k candidates over beams x
// vocabulary stay in onnxruntime's C++ between steps; JavaScript sees only the finished n-best.
// (onnxruntime-node has no I/O binding, so a decoder run from JavaScript copies the cache out and
// back in at every step: eval/bench/NOTES.md measured that and the candidate scan at ~40% of a step.)
//
// The operator's contract (onnxruntime/contrib_ops/cpu/transformers/subgraph_t5_{encoder,decoder}.cc):
// encoder subgraph: encoder_input_ids, encoder_attention_mask, decoder_input_ids (int32) ->
//   logits, encoder_hidden_states, present_{key,value}_self_L..., present_{key,value}_cross_L...;
// decoder subgraph: input_ids, encoder_attention_mask (int32), past_{key,value}_self_L...,
//   past_{key,value}_cross_L... -> logits, present_{key,value}_self_L....
// Its search is transformers' (BeamSearchScorer, early stopping); src/decode/beamSearch.ts is the
// reference it is tested against (test/decode.nativeBeamSearch.test.ts).
import { FLOAT, INT32, INT64, OnnxGraph } from '../graph/onnxGraph.js';
import type { TransformerConfig } from './transformerConfig.js';
import { context, type Ctx, decoderBody, encoderStates, type Weights } from './transformerGraph.js';

export interface SpecialIds {
  eos: number;
  pad: number;
  decoderStart: number;
}

/** kd's cache names (`L.decoder.key`) in the operator's: present_key_self_L, past_value_cross_L, ... */
const opName = (io: 'past' | 'present') => (name: string) => {
  const [layer, part, kv] = name.split('.');
  return `${io}_${kv}_${part === 'decoder' ? 'self' : 'cross'}_${layer}`;
};

function cacheNames(c: TransformerConfig, io: 'past' | 'present', parts: Array<'decoder' | 'encoder'>): string[] {
  const names: string[] = [];
  for (const part of parts)
    for (let l = 0; l < c.decLayers; l++)
      for (const kv of ['key', 'value']) names.push(opName(io)(`${l}.${part}.${kv}`));
  return names;
}

/** What both subgraphs are built from: the model, and the outer graph that keeps one initializer per parameter. */
interface SubgraphOf {
  parent: OnnxGraph;
  c: TransformerConfig;
  weights: Weights;
  seen: Set<string>;
  maxPositions: number;
}

function subgraph(s: SubgraphOf, name: string, prefix: string): { g: OnnxGraph; x: Ctx } {
  const g = new OnnxGraph(name, prefix, s.parent);
  return { g, x: context(g, s.c, s.weights, s.seen, s.maxPositions) };
}

function encoderSubgraph(s: SubgraphOf): OnnxGraph {
  const { c } = s;
  const { g, x } = subgraph(s, 'kd_encoder_and_first_step', 'e/');
  const srcIds = g.op('Cast', [g.input('encoder_input_ids', INT32, ['batch', 'src_len'])], { to: { i: INT64 } });
  const mask = g.input('encoder_attention_mask', INT32, ['batch', 'src_len']);
  const tgtIds = g.op('Cast', [g.input('decoder_input_ids', INT32, ['batch', 1])], { to: { i: INT64 } });
  const states = encoderStates(x, srcIds, mask, 'encoder_hidden_states');
  decoderBody(x, false, { present: opName('present'), logits: 'logits' }, true, { ids: tgtIds, states, mask });
  g.output('logits', FLOAT, ['batch', 1, c.vocabSize]);
  g.output('encoder_hidden_states', FLOAT, ['batch', 'src_len', c.dModel]);
  const dh = c.dModel / c.heads;
  for (const name of cacheNames(c, 'present', ['decoder'])) g.output(name, FLOAT, ['batch', c.heads, 1, dh]);
  for (const name of cacheNames(c, 'present', ['encoder'])) g.output(name, FLOAT, ['batch', c.heads, 'src_len', dh]);
  return g;
}

function decoderSubgraph(s: SubgraphOf): OnnxGraph {
  const { c } = s;
  const { g, x } = subgraph(s, 'kd_decoder_step', 'd/');
  const ids = g.op('Cast', [g.input('input_ids', INT32, ['batch', 1])], { to: { i: INT64 } });
  const mask = g.input('encoder_attention_mask', INT32, ['batch', 'src_len']);
  const dh = c.dModel / c.heads;
  for (const name of cacheNames(c, 'past', ['decoder'])) g.input(name, FLOAT, ['batch', c.heads, 'past_len', dh]);
  for (const name of cacheNames(c, 'past', ['encoder'])) g.input(name, FLOAT, ['batch', c.heads, 'src_len', dh]);
  // cross keys and values come from the past inputs: the operator carries them, unchanged, itself
  decoderBody(x, true, { present: opName('present'), logits: 'logits' }, false, {
    ids,
    states: '',
    mask,
    past: opName('past'),
  });
  g.output('logits', FLOAT, ['batch', 1, c.vocabSize]);
  for (const name of cacheNames(c, 'present', ['decoder']))
    g.output(name, FLOAT, ['batch', c.heads, 'past_len + 1', dh]);
  return g;
}

/**
 * Inputs: input_ids, attention_mask [batch, src_len] (int32), max_length, min_length, num_beams,
 * num_return_sequences [1] (int32), length_penalty [1] (float), vocab_mask [vocab] (int32, 0 bans a
 * token at every step). Outputs: sequences [batch, num_return_sequences, max_length] (int32: the
 * decoder start token, the tokens, then pad; an ended hypothesis without its eos) and
 * sequences_scores [batch, num_return_sequences] (length-normalised, best first).
 */
export function beamSearchGraph(
  c: TransformerConfig,
  weights: Weights,
  ids: SpecialIds,
  maxPositions = 1024,
): OnnxGraph {
  const g = new OnnxGraph('kd_beam_search');
  const seen = new Set<string>(); // the subgraphs share one initializer per parameter, in this graph
  // scalars; min_length is optional in the operator's schema, but onnxruntime 1.30's input check
  // requires whatever stands at its index (it checks index 2 under the name max_length)
  const int1 = (name: string) => g.input(name, INT32, []);
  const inputs = [
    g.input('input_ids', INT32, ['batch', 'src_len']),
    int1('max_length'),
    int1('min_length'),
    int1('num_beams'),
    int1('num_return_sequences'),
    g.input('length_penalty', FLOAT, [1]),
    '',
    g.input('vocab_mask', INT32, [c.vocabSize]),
    '',
    g.input('attention_mask', INT32, ['batch', 'src_len']),
  ];
  g.node(
    'BeamSearch',
    inputs,
    {
      eos_token_id: { i: ids.eos },
      pad_token_id: { i: ids.pad },
      decoder_start_token_id: { i: ids.decoderStart },
      model_type: { i: 1 },
      early_stopping: { i: 1 },
      no_repeat_ngram_size: { i: 0 },
      encoder: { g: encoderSubgraph({ parent: g, c, weights, seen, maxPositions }) },
      decoder: { g: decoderSubgraph({ parent: g, c, weights, seen, maxPositions }) },
    },
    ['sequences', 'sequences_scores'],
    'com.microsoft',
  );
  g.output('sequences', INT32, ['batch', 'num_return_sequences', 'max_length']);
  g.output('sequences_scores', FLOAT, ['batch', 'num_return_sequences']);
  return g;
}
