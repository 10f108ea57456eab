// A hand-built StepModel: next-token probabilities come from a table keyed by the source and
// the prefix, so the best sequences and their scores can be worked out by hand.
import type { StepModel } from '../../src/decode/stepModel.js';

export const START = 1;
export const EOS = 2;
export type Table = Record<string, Record<number, number>>; // "src|prefix tokens" -> {token: prob}

export class TableModel implements StepModel<number[][]> {
  readonly decoderStartId = START;
  readonly eosId = EOS;
  readonly padId = 0;
  calls = 0;

  constructor(
    readonly vocabSize: number,
    private readonly table: Table,
  ) {}

  async start(sources: number[][]) {
    return sources;
  }

  async logProbs(sources: number[][], sourceIndex: Int32Array, prefixes: number[][]) {
    this.calls++;
    const out = new Float32Array(prefixes.length * this.vocabSize).fill(-Infinity);
    prefixes.forEach((prefix, r) => {
      const key = `${sources[sourceIndex[r]].join(' ')}|${prefix.slice(1).join(' ')}`;
      const probs = this.table[key] ?? { [EOS]: 1 };
      for (const [tok, p] of Object.entries(probs)) out[r * this.vocabSize + Number(tok)] = Math.log(p);
    });
    return out;
  }
}
