// The finished hypotheses of one sentence, keeping the best `size` by length-normalised score:
// score = sum of log-probs / length ^ lengthPenalty, where length counts the decoder start token and
// the generated tokens but not the closing eos, as transformers' BeamHypotheses did until 4.38 and
// onnxruntime's BeamSearch operator does (the native path, ../onnx/nativeBeamSearch.ts). A
// hypothesis that ended with eos has length tokens.length; one cut at max length tokens.length + 1.
export interface Hypothesis {
  tokens: number[]; // generated tokens, without the decoder start token, eos included if produced
  logProb: number; // sum of token log-probabilities
  score: number; // logProb / length ** lengthPenalty (length as above)
}

/** The length a hypothesis' score is normalised by (see above). */
export const normalisingLength = (tokens: number[], endedWithEos: boolean) => tokens.length + (endedWithEos ? 0 : 1);

export class FinishedHypotheses {
  readonly list: Hypothesis[] = [];

  constructor(
    private readonly size: number,
    private readonly lengthPenalty: number,
  ) {}

  add(tokens: number[], logProb: number, endedWithEos: boolean): void {
    const score = logProb / normalisingLength(tokens, endedWithEos) ** this.lengthPenalty;
    if (this.list.length < this.size || score > this.worst()) {
      this.list.push({ tokens, logProb, score });
      if (this.list.length > this.size) {
        let w = 0;
        for (let i = 1; i < this.list.length; i++) if (this.list[i].score < this.list[w].score) w = i;
        this.list.splice(w, 1);
      }
    }
  }

  worst(): number {
    return this.list.reduce((m, h) => Math.min(m, h.score), Infinity);
  }

  /** With early stopping, a sentence is done as soon as it has `size` finished hypotheses. */
  get done(): boolean {
    return this.list.length >= this.size;
  }

  sorted(): Hypothesis[] {
    return [...this.list].sort((a, b) => b.score - a.score);
  }
}
