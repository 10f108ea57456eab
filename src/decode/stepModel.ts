// What beam search needs from a model: next-token log-probabilities for a batch of prefixes.
// tfjs and ONNX models implement it; so do the hand-built models in the tests.

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
  /** Frees what start() allocated. */
  finish?(state: State): void;
}
