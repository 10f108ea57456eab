// Batched beam search over sentences and beams, with the semantics of transformers' generate()
// (num_beams, length_penalty, early_stopping=True, max_length counting the decoder start token;
// the length normalisation of ./hypotheses.ts):
// each step ranks the 2*k best (beam, token) continuations of every sentence; an eos among the
// first k ends a hypothesis, the others continue; a sentence stops once k hypotheses ended.
// Greedy search is numBeams = 1. transformers.js has no beam search, hence this file.
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';
import { FinishedHypotheses, type Hypothesis } from './hypotheses.js';
import { applyLogitsProcessors } from './logitsProcessors.js';
import type { StepModel } from './stepModel.js';

export interface BeamOptions {
  numBeams: number; // 1 = greedy
  nbest?: number; // hypotheses returned per sentence (default 1, at most numBeams)
  maxLength: number; // decoder length including the start token, as transformers counts it
  lengthPenalty?: number; // default 1.0
  /** generation_config's forced_eos_token_id: the last step may only end (log-prob 0), as transformers forces it. */
  forcedEosId?: number;
  /** generation_config's bad_words_ids: token sequences never generated. */
  badWordsIds?: number[][];
}

interface Beam {
  tokens: number[];
  logProb: number;
}

/**
 * Top `count` (score, beam, token) of a sentence's live beams, best first, ties by lower beam then
 * lower token (the scan order: an equal score never displaces an earlier one). A bounded insertion
 * list in typed arrays: this loop visits beams x vocabulary entries every step.
 */
function topCandidates(rows: Float32Array, vocab: number, beams: Beam[], rowOf: number[], count: number) {
  const scores = new Float64Array(count).fill(-Infinity);
  const beamOf = new Int32Array(count);
  const tokenOf = new Int32Array(count);
  let filled = 0;
  for (let b = 0; b < beams.length; b++) {
    const base = rowOf[b] * vocab;
    const logProb = beams[b].logProb;
    for (let v = 0; v < vocab; v++) {
      const score = logProb + rows[base + v];
      if (filled === count && !(score > scores[count - 1])) continue;
      let i = filled < count ? filled++ : count - 1;
      for (; i > 0 && scores[i - 1] < score; i--) {
        scores[i] = scores[i - 1];
        beamOf[i] = beamOf[i - 1];
        tokenOf[i] = tokenOf[i - 1];
      }
      scores[i] = score;
      beamOf[i] = b;
      tokenOf[i] = v;
    }
  }
  return Array.from({ length: filled }, (_, i) => ({ score: scores[i], beam: beamOf[i], token: tokenOf[i] }));
}

export async function beamSearch<S>(
  model: StepModel<S>,
  sources: number[][],
  opts: BeamOptions,
): Promise<Hypothesis[][]> {
  // a model that runs the same search natively (onnxruntime's BeamSearch operator) does it whole
  const native = model.nativeSearch?.(sources, opts);
  if (native) return native;
  const k = opts.numBeams;
  const nbest = Math.min(opts.nbest ?? 1, k);
  const lp = opts.lengthPenalty ?? 1.0;
  const state = await model.start(sources);
  const finished = sources.map(() => new FinishedHypotheses(k, lp));
  // one live beam per sentence at first: transformers gives the other k-1 a score of -1e9
  const live: Beam[][] = sources.map(() => [{ tokens: [], logProb: 0 }]);
  try {
    for (let len = 1; len < opts.maxLength; len++) {
      const active = live.map((beams, s) => (finished[s].done || beams.length === 0 ? -1 : s)).filter((s) => s >= 0);
      if (!active.length) break;
      const sourceIndex: number[] = [];
      const prefixes: number[][] = [];
      const rowOf: number[][] = [];
      for (const s of active) {
        rowOf[s] = live[s].map((beam) => {
          sourceIndex.push(s);
          prefixes.push([model.decoderStartId, ...beam.tokens]);
          return prefixes.length - 1;
        });
      }
      await yieldToEventLoop();
      const rows = await model.logProbs(state, Int32Array.from(sourceIndex), prefixes);
      const lastStep = len + 1 >= opts.maxLength;
      applyLogitsProcessors(rows, model.vocabSize, prefixes, { ...opts, curLen: len });
      for (const s of active) {
        const next: Beam[] = [];
        const cands = topCandidates(rows, model.vocabSize, live[s], rowOf[s], 2 * k);
        for (let rank = 0; rank < cands.length && next.length < k; rank++) {
          const { score, beam, token } = cands[rank];
          const tokens = [...live[s][beam].tokens, token];
          if (token === model.eosId) {
            if (rank < k) finished[s].add(tokens, score, true);
          } else next.push({ tokens, logProb: score });
        }
        live[s] = next;
        // at max length the open beams end where they are (transformers' finalize)
        if (lastStep && !finished[s].done) for (const b of next) finished[s].add(b.tokens, b.logProb, false);
      }
    }
  } finally {
    model.finish?.(state);
  }
  return finished.map((f) => f.sorted().slice(0, nbest));
}
