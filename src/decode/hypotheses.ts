// The finished hypotheses of one sentence, keeping the best `size` by length-normalised score
// (score = sum of log-probs / generated length ^ lengthPenalty, as transformers' BeamHypotheses).
export interface Hypothesis {
  tokens: number[]; // generated tokens, without the decoder start token, eos included if produced
  logProb: number;  // sum of token log-probabilities
  score: number;    // logProb / tokens.length ** lengthPenalty
}

export class FinishedHypotheses {
  readonly list: Hypothesis[] = [];

  constructor(private readonly size: number, private readonly lengthPenalty: number) {}

  add(tokens: number[], logProb: number): void {
    const score = logProb / tokens.length ** this.lengthPenalty;
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
