// A translation model exported to ONNX (Hugging Face layout) as a beam-search StepModel, run by
// onnxruntime-node. With decoder_with_past_model.onnx or decoder_model_merged.onnx each step
// feeds one token and the KV cache; without them it re-runs the decoder over the whole prefix.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { BeamOptions } from '../decode/beamSearch.js';
import type { Hypothesis } from '../decode/hypotheses.js';
import type { StepModel } from '../decode/stepModel.js';
import { KvCache } from './kvCache.js';
import { LogitReductions, type TopKResult } from './logitReductions.js';
import { type GenerationSettings, type ModelDir, openModelDir } from './modelDir.js';
import { BEAM_SEARCH_FILE, NativeBeamSearch } from './nativeBeamSearch.js';
import { DTYPE_SUFFIX, type DtypeChoice } from './onnxFiles.js';
import {
  defaultThreads,
  int64Tensor,
  loadOrt,
  openSession,
  type Ort,
  type OrtSession,
  type OrtTensor,
  paddedIds,
} from './ort.js';
import { gatherRows } from './rows.js';

export interface OnnxState {
  hidden: Float32Array; // encoder output [sources, S, D]
  mask: number[][]; // attention mask rows, length S
  S: number;
  D: number;
  cache?: KvCache;
  gathered?: { key: string; hidden: OrtTensor; mask: OrtTensor };
}

export interface OnnxSeq2SeqOptions {
  threads?: number;
  /** false: ignore a KV-cache decoder even where the export has one (to compare both paths) */
  useCache?: boolean;
  /** false: ignore onnx/beam_search_model.onnx and search step by step from JavaScript */
  native?: boolean;
  /** which precision's files (default auto: fp32 where present; q8: the *_quantized.onnx files) */
  dtype?: DtypeChoice;
}

export class OnnxSeq2Seq implements StepModel<OnnxState> {
  readonly decoderStartId: number;
  readonly eosId: number;
  readonly padId: number;

  private constructor(
    readonly modelDir: ModelDir,
    readonly vocabSize: number,
    private readonly ort: Ort,
    private readonly encoder: OrtSession,
    private readonly decoder: OrtSession,
    private readonly cached: { session: OrtSession; merged: boolean } | null,
    private readonly reduce: LogitReductions,
    private readonly native: NativeBeamSearch | null,
  ) {
    const gen = modelDir.generation!;
    this.decoderStartId = gen.decoderStartId;
    this.eosId = gen.eosId;
    this.padId = gen.padId;
  }

  static async load(dir: string, opts: OnnxSeq2SeqOptions = {}): Promise<OnnxSeq2Seq> {
    const md = openModelDir(dir, { dtype: opts.dtype });
    if (md.kind !== 'seq2seq') throw new Error(`${dir}: config.json describes a classifier, not a translation model`);
    const ort = await loadOrt();
    const encoder = await openSession(md.onnx.encoder!, opts.threads);
    const useCache = opts.useCache ?? true;
    let cached: { session: OrtSession; merged: boolean } | null = null;
    let decoder: OrtSession;
    // the separate with-past decoder first where there is one: it need not give the encoder's keys
    // and values back every step as the merged one's branches must (measured 1.4x on beam search)
    if (md.onnx.decoderMerged && (useCache ? !(md.onnx.decoder && md.onnx.decoderWithPast) : !md.onnx.decoder)) {
      decoder = await openSession(md.onnx.decoderMerged, opts.threads);
      if (useCache) cached = { session: decoder, merged: true };
    } else {
      decoder = await openSession(md.onnx.decoder!, opts.threads);
      if (useCache && md.onnx.decoderWithPast)
        cached = { session: await openSession(md.onnx.decoderWithPast, opts.threads), merged: false };
    }
    const vocab = Number(md.config.decoder_vocab_size ?? md.config.vocab_size);
    if (!Number.isInteger(vocab) || vocab <= 0) throw new Error(`${dir}/config.json: vocab_size is missing`);
    // kd's exports carry the whole search as one graph beside the encoder (src/models/beamSearchGraph.ts)
    // (in the precision of the files chosen: beam_search_model_quantized.onnx beside a q8 encoder)
    const nativeFile = join(
      dirname(md.onnx.encoder!),
      BEAM_SEARCH_FILE.replace(/\.onnx$/, `${DTYPE_SUFFIX[md.dtype]}.onnx`),
    );
    const gen = md.generation!;
    const native =
      (opts.native ?? true) && existsSync(nativeFile)
        ? await NativeBeamSearch.open(
            ort,
            nativeFile,
            { decoderStartId: gen.decoderStartId, eosId: gen.eosId, padId: gen.padId, vocabSize: vocab },
            opts.threads,
          )
        : null;
    return new OnnxSeq2Seq(
      md,
      vocab,
      ort,
      encoder,
      decoder,
      cached,
      await LogitReductions.create(ort, opts.threads ?? defaultThreads()),
      native,
    );
  }

  /** The whole search in onnxruntime where the export has its graph and the options allow (see NativeBeamSearch). */
  nativeSearch(sources: number[][], opts: BeamOptions): Promise<Hypothesis[][]> | undefined {
    return this.native?.search(sources, opts);
  }

  /** Stops the worker threads of the native search's lanes (sessions themselves are freed with the object). */
  close(): Promise<void> {
    return this.native?.close() ?? Promise.resolve();
  }

  /** Worker lanes the native search shares a batch among (0: no native search). */
  get searchLanes(): number {
    return this.native?.lanes ?? 0;
  }

  get hasNativeSearch(): boolean {
    return this.native !== null;
  }

  get generation(): GenerationSettings {
    return this.modelDir.generation!;
  }

  get hasCache(): boolean {
    return this.cached !== null;
  }

  get usesMergedDecoder(): boolean {
    return this.cached?.merged ?? false;
  }

  async start(sources: number[][]): Promise<OnnxState> {
    const { ids, mask, length } = paddedIds(this.ort, sources, this.padId);
    const out = await this.encoder.run({ input_ids: ids, attention_mask: mask });
    const hiddenTensor = out.last_hidden_state ?? Object.values(out)[0];
    const hidden = hiddenTensor.data as Float32Array;
    const D = hiddenTensor.dims[2];
    const maskRows = sources.map((s) => Array.from({ length }, (_, j) => (j < s.length ? 1 : 0)));
    return { hidden, mask: maskRows, S: length, D, cache: this.cached ? new KvCache() : undefined };
  }

  async logProbs(state: OnnxState, sourceIndex: Int32Array, prefixes: number[][]): Promise<Float32Array> {
    const rows = prefixes.length;
    const { hidden, mask } = this.encoderRows(state, sourceIndex);
    const t = prefixes[0].length;
    let logits: OrtTensor;
    const parents = state.cache?.parentsOf(sourceIndex, prefixes);
    if (this.cached && state.cache && parents) {
      // one new token per row, its past gathered from the row's parent in the previous step
      const feeds: Record<string, OrtTensor> = {
        encoder_attention_mask: mask,
        encoder_hidden_states: hidden,
        input_ids: int64Tensor(
          this.ort,
          prefixes.map((p) => p[t - 1]),
          [rows, 1],
        ),
        ...state.cache.pastFeeds(this.ort, sourceIndex, parents),
      };
      if (this.cached.merged) feeds.use_cache_branch = new this.ort.Tensor('bool', [true], [1]);
      const out = await this.cached.session.run(onlyInputs(feeds, this.cached.session));
      state.cache.update(out, sourceIndex, prefixes, true);
      logits = out.logits;
    } else {
      const out = await this.wholePrefix(hidden, mask, prefixes.flat(), rows, t);
      state.cache?.update(out, sourceIndex, prefixes, false);
      logits = out.logits;
    }
    return this.reduce.lastStepLogSoftmax(logits);
  }

  /** The decoder over whole prefixes [rows, t] (no cache): logits at every position, and present.*. */
  private async wholePrefix(hidden: OrtTensor, mask: OrtTensor, ids: number[], rows: number, t: number) {
    const feeds: Record<string, OrtTensor> = {
      encoder_attention_mask: mask,
      encoder_hidden_states: hidden,
      input_ids: int64Tensor(this.ort, ids, [rows, t]),
    };
    if (this.cached?.merged) {
      feeds.use_cache_branch = new this.ort.Tensor('bool', [false], [1]);
      Object.assign(feeds, emptyPast(this.ort, this.decoder.inputNames, rows, this.modelDir.config));
    }
    return this.decoder.run(onlyInputs(feeds, this.decoder));
  }

  /**
   * Teacher forcing: logits [rows, steps, vocab] of the decoder fed each whole prefix (decoder start
   * first), prefix r continuing source r; shorter prefixes are padded at the end, where the causal
   * decoder's earlier positions cannot see it. One decoder run for the batch.
   */
  async forcedLogits(sources: number[][], prefixes: number[][]): Promise<{ logits: Float32Array; steps: number }> {
    const { logits, steps } = await this.forcedRun(sources, prefixes);
    return { logits: logits.data as Float32Array, steps };
  }

  /** forcedLogits reduced to what soft targets keep: each position's top-k logits and log-normaliser (./logitReductions.ts) */
  async forcedTopK(sources: number[][], prefixes: number[][], k: number): Promise<TopKResult & { steps: number }> {
    const { logits, steps } = await this.forcedRun(sources, prefixes);
    return { ...(await this.reduce.topK(logits, k)), steps };
  }

  private async forcedRun(sources: number[][], prefixes: number[][]): Promise<{ logits: OrtTensor; steps: number }> {
    const { hidden, mask, S, D } = await this.start(sources);
    const steps = Math.max(...prefixes.map((p) => p.length));
    const ids = prefixes.flatMap((p) => [...p, ...Array(steps - p.length).fill(this.padId)]);
    // row r reads source r: the encoder output as it is, no gather
    const out = await this.wholePrefix(
      new this.ort.Tensor('float32', hidden, [sources.length, S, D]),
      int64Tensor(this.ort, mask.flat(), [sources.length, S]),
      ids,
      prefixes.length,
      steps,
    );
    return { logits: out.logits, steps };
  }

  /** The encoder output and mask of each row's source, rebuilt only when the rows' sources change. */
  private encoderRows(state: OnnxState, sourceIndex: Int32Array): { hidden: OrtTensor; mask: OrtTensor } {
    const key = sourceIndex.join(',');
    if (state.gathered?.key === key) return state.gathered;
    const { S, D } = state;
    const hidden = gatherRows({ data: state.hidden, dims: [state.mask.length, S, D] }, sourceIndex).data;
    const mask = Array.from(sourceIndex, (s) => state.mask[s]).flat();
    state.gathered = {
      key,
      hidden: new this.ort.Tensor('float32', hidden, [sourceIndex.length, S, D]),
      mask: int64Tensor(this.ort, mask, [sourceIndex.length, S]),
    };
    return state.gathered;
  }

  finish(state: OnnxState): void {
    state.cache = undefined;
    state.gathered = undefined;
  }
}

/** Sessions reject feeds they do not declare (exports differ in which they take). */
function onlyInputs(feeds: Record<string, OrtTensor>, session: OrtSession): Record<string, OrtTensor> {
  const out: Record<string, OrtTensor> = {};
  for (const name of session.inputNames) {
    if (!feeds[name]) throw new Error(`the ONNX decoder wants an input named ${name}, which this loader does not know`);
    out[name] = feeds[name];
  }
  return out;
}

/** The merged decoder's first step still takes past inputs: zero-length ones. */
function emptyPast(
  ort: Ort,
  inputNames: readonly string[],
  rows: number,
  config: Record<string, unknown>,
): Record<string, OrtTensor> {
  const heads = Number(config.decoder_attention_heads ?? config.num_attention_heads);
  const headDim = Number(config.d_model ?? config.hidden_size) / heads;
  const feeds: Record<string, OrtTensor> = {};
  for (const name of inputNames) {
    if (name.startsWith('past_key_values.'))
      feeds[name] = new ort.Tensor('float32', new Float32Array(0), [rows, heads, 0, headDim]);
  }
  return feeds;
}
