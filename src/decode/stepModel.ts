// What beam search needs from a model: next-token log-probabilities for a batch of prefixes.
// tfjs and ONNX models implement it; so do the hand-built models in the tests.
import type { BeamOptions } from './beamSearch.js';
import type { Hypothesis } from './hypotheses.js';

export interface StepModel<State = unknown> {
  readonly vocabSize: number;
  readonly decoderStartId: number;
  readonly eosId: number;
  readonly padId: number;
  /** Encodes a batch of sources; the state is the model's own (encoder output, caches). */
  start(sources: number[][]): Promise<State>;
  /**
   * Log-probabilities of the next token, rows x vocabSize, row-major: row r continues
   * prefixes[r] (which starts with decoderStartId) for source sourceIndex[r].
   */
  logProbs(state: State, sourceIndex: Int32Array, prefixes: number[][]): Promise<Float32Array>;
  /**
   * The whole search of ./beamSearch.ts run by the model itself (onnxruntime's BeamSearch operator:
   * no per-step round trip through JavaScript), or undefined where it cannot honour these options;
   * the n-best must be the same as the step-by-step search's.
   */
  nativeSearch?(sources: number[][], opts: BeamOptions): Promise<Hypothesis[][]> | undefined;
  /** Frees what start() allocated. */
  finish?(state: State): void;
}
