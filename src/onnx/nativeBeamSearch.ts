// kd's beam search run whole inside onnxruntime: an export's onnx/beam_search_model.onnx (one
// com.microsoft BeamSearch node over the model's own encoder and decoder, built by
// src/models/beamSearchGraph.ts) takes a batch of sources and gives back the n-best. Same search
// as src/decode/beamSearch.ts (transformers' beam scorer, early stopping, the length
// normalisation of src/decode/hypotheses.ts); test/decode.nativeBeamSearch.test.ts holds them equal.
import type { BeamOptions } from '../decode/beamSearch.js';
import type { Hypothesis } from '../decode/hypotheses.js';
import { normalisingLength } from '../decode/hypotheses.js';
import { inferenceLanes, openSession, type Ort, type OrtSession, type OrtTensor } from './ort.js';
import { SessionLanes } from './sessionLanes.js';

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
    private readonly session: OrtSession | SessionLanes,
    private readonly ids: SpecialTokens,
  ) {}

  /**
   * threads: kernel threads (default KD_ORT_THREADS, else 0: kd chooses, which on the CPU means one
   * lane per core, ./sessionLanes.ts, each searching its share of every batch's sources)
   */
  static async open(ort: Ort, file: string, ids: SpecialTokens, threads?: number): Promise<NativeBeamSearch> {
    const lanes = inferenceLanes(threads);
    const session = lanes > 1 ? await SessionLanes.open(ort, file, lanes, file) : await openSession(file, threads);
    return new NativeBeamSearch(ort, session, ids);
  }

  /** Worker lanes each search shares its sources among (1: one session on this thread). */
  get lanes(): number {
    return this.session instanceof SessionLanes ? this.session.size : 1;
  }

  /** Stops the lanes' threads, where there are any. */
  async close(): Promise<void> {
    if (this.session instanceof SessionLanes) await this.session.close();
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
    const { vocabSize } = this.ids;
    // every share of the batch is padded to the whole batch's width, so a source is searched
    // exactly as it would be in one run of the whole batch
    const width = Math.max(1, ...sources.map((s) => s.length));
    const allowed = new Int32Array(vocabSize).fill(1);
    for (const t of banned) if (t >= 0 && t < vocabSize) allowed[t] = 0;
    const nbest = Math.min(opts.nbest ?? 1, opts.numBeams);
    const scalar = (v: number) => new ort.Tensor('int32', Int32Array.of(v), []);
    const settings = {
      max_length: scalar(opts.maxLength),
      min_length: scalar(0),
      num_beams: scalar(opts.numBeams),
      num_return_sequences: scalar(nbest),
      length_penalty: new ort.Tensor('float32', Float32Array.of(opts.lengthPenalty ?? 1), [1]),
      vocab_mask: new ort.Tensor('int32', allowed, [vocabSize]),
    };
    const shares = shareRows(sources.length, this.lanes);
    const results = await Promise.all(
      shares.map(async ([from, to]) => {
        const out = await this.session.run({ ...this.sourceTensors(sources.slice(from, to), width), ...settings });
        return this.hypotheses(out, to - from, nbest, opts);
      }),
    );
    return results.flat();
  }

  private sourceTensors(sources: number[][], width: number): Record<string, OrtTensor> {
    const rows = sources.length;
    const ids = new Int32Array(rows * width).fill(this.ids.padId);
    const mask = new Int32Array(rows * width);
    sources.forEach((s, r) =>
      s.forEach((t, j) => {
        ids[r * width + j] = t;
        mask[r * width + j] = 1;
      }),
    );
    return {
      input_ids: new this.ort.Tensor('int32', ids, [rows, width]),
      attention_mask: new this.ort.Tensor('int32', mask, [rows, width]),
    };
  }

  /**
   * sequences [rows, nbest, maxLength]: the decoder start token, the tokens, then pad; an ended
   * hypothesis is shorter than maxLength and comes without its eos (given back here, as kd's
   * hypotheses keep it).
   */
  private hypotheses(out: Record<string, OrtTensor>, rows: number, nbest: number, opts: BeamOptions): Hypothesis[][] {
    const seq = out.sequences.data as Int32Array;
    const scores = out.sequences_scores.data as Float32Array;
    const maxLength = out.sequences.dims[2];
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

/** Contiguous [from, to) shares of `rows` for up to `lanes` lanes, sizes differing by at most one. */
export function shareRows(rows: number, lanes: number): Array<[number, number]> {
  const parts = Math.max(1, Math.min(lanes, rows));
  return Array.from({ length: parts }, (_, p) => [
    Math.floor((p * rows) / parts),
    Math.floor(((p + 1) * rows) / parts),
  ]);
}
