// kd's beam search run whole inside onnxruntime: an export's onnx/beam_search_model.onnx (one
// com.microsoft BeamSearch node over the model's own encoder and decoder, built by
// src/models/beamSearchGraph.ts) takes a batch of sources and gives back the n-best. Same search
// as src/decode/beamSearch.ts (transformers' beam scorer, early stopping, the length
// normalisation of src/decode/hypotheses.ts); test/decode.nativeBeamSearch.test.ts holds them equal.
import type { BeamOptions } from '../decode/beamSearch.js';
import type { Hypothesis } from '../decode/hypotheses.js';
import { normalisingLength } from '../decode/hypotheses.js';
import { openSession, type Ort, type OrtSession } from './ort.js';

export const BEAM_SEARCH_FILE = 'beam_search_model.onnx';

// the operator's own limits (onnxruntime/contrib_ops/cpu/transformers/beam_search_parameters.cc)
const MAX_SEQUENCE_LENGTH = 4096;
const MAX_BEAMS = 128;

export interface SpecialTokens {
  decoderStartId: number;
  eosId: number;
  padId: number;
  vocabSize: number;
}

export class NativeBeamSearch {
  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
    private readonly ids: SpecialTokens,
  ) {}

  static async open(ort: Ort, file: string, ids: SpecialTokens, threads?: number): Promise<NativeBeamSearch> {
    return new NativeBeamSearch(ort, await openSession(file, threads), ids);
  }

  /**
   * The n-best of each source, or undefined where the operator cannot search as asked: a forced eos
   * or a bad word of several tokens (it bans single tokens only), or pad not banned (pad fills its
   * output after a hypothesis' end, so a generated pad could not be told from the filling).
   */
  search(sources: number[][], opts: BeamOptions): Promise<Hypothesis[][]> | undefined {
    const banned = opts.badWordsIds ?? [];
    if (opts.forcedEosId !== undefined || banned.some((w) => w.length !== 1)) return undefined;
    if (!banned.some((w) => w[0] === this.ids.padId)) return undefined;
    if (opts.maxLength < 2 || opts.maxLength > MAX_SEQUENCE_LENGTH || opts.numBeams > MAX_BEAMS || !sources.length)
      return undefined;
    return this.run(
      sources,
      opts,
      banned.map((w) => w[0]),
    );
  }

  private async run(sources: number[][], opts: BeamOptions, banned: number[]): Promise<Hypothesis[][]> {
    const { ort } = this;
    const { padId, vocabSize } = this.ids;
    const rows = sources.length;
    const width = Math.max(1, ...sources.map((s) => s.length));
    const ids = new Int32Array(rows * width).fill(padId);
    const mask = new Int32Array(rows * width);
    sources.forEach((s, r) =>
      s.forEach((t, j) => {
        ids[r * width + j] = t;
        mask[r * width + j] = 1;
      }),
    );
    const allowed = new Int32Array(vocabSize).fill(1);
    for (const t of banned) if (t >= 0 && t < vocabSize) allowed[t] = 0;
    const k = opts.numBeams;
    const nbest = Math.min(opts.nbest ?? 1, k);
    const scalar = (v: number) => new ort.Tensor('int32', Int32Array.of(v), []);
    const out = await this.session.run({
      input_ids: new ort.Tensor('int32', ids, [rows, width]),
      attention_mask: new ort.Tensor('int32', mask, [rows, width]),
      max_length: scalar(opts.maxLength),
      min_length: scalar(0),
      num_beams: scalar(k),
      num_return_sequences: scalar(nbest),
      length_penalty: new ort.Tensor('float32', Float32Array.of(opts.lengthPenalty ?? 1), [1]),
      vocab_mask: new ort.Tensor('int32', allowed, [vocabSize]),
    });
    return this.hypotheses(
      out.sequences.data as Int32Array,
      out.sequences_scores.data as Float32Array,
      rows,
      nbest,
      opts,
    );
  }

  /**
   * sequences [rows, nbest, maxLength]: the decoder start token, the tokens, then pad; an ended
   * hypothesis is shorter than maxLength and comes without its eos (given back here, as kd's
   * hypotheses keep it).
   */
  private hypotheses(
    seq: Int32Array,
    scores: Float32Array,
    rows: number,
    nbest: number,
    opts: BeamOptions,
  ): Hypothesis[][] {
    const { maxLength } = opts;
    const lp = opts.lengthPenalty ?? 1;
    return Array.from({ length: rows }, (_, r) =>
      Array.from({ length: nbest }, (_, n) => {
        const at = (r * nbest + n) * maxLength;
        let end = at + 1;
        while (end < at + maxLength && seq[end] !== this.ids.padId) end++;
        const tokens = Array.from(seq.subarray(at + 1, end));
        const ended = end < at + maxLength;
        if (ended) tokens.push(this.ids.eosId);
        const score = scores[r * nbest + n];
        return { tokens, score, logProb: score * normalisingLength(tokens, ended) ** lp };
      }),
    );
  }
}
