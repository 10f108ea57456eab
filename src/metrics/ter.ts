// TER with sacreBLEU's defaults: case-insensitive, tercom tokenizer without normalization,
// punctuation kept. Corpus TER = total edits / total average reference length.
import { checkStreams } from './bleu.js';
import { pyNormalizeSpaces, pyRstrip, pySplit } from './pythonText.js';
import { translationEditRate } from './terShifts.js';
import { formatSignature } from './version.js';

export interface TerOptions {
  caseSensitive?: boolean; // default false
}

export interface TerResult {
  name: 'TER';
  score: number;
  numEdits: number;
  refLength: number;
  signature: string;
}

export class Ter {
  readonly caseSensitive: boolean;

  constructor(opts: TerOptions = {}) {
    this.caseSensitive = opts.caseSensitive ?? false;
  }

  private words(sentence: string): string[] {
    const s = pyRstrip(sentence);
    if (!s) return [];
    return pySplit(pyNormalizeSpaces(this.caseSensitive ? s : s.toLowerCase()));
  }

  /** [fewest edits over the references, average reference length] */
  sentenceStats(hyp: string, refs: string[]): [number, number] {
    const hypWords = this.words(hyp);
    let best = 1e16;
    let refLengths = 0;
    for (const ref of refs) {
      const [edits, len] = translationEditRate(hypWords, this.words(ref));
      refLengths += len;
      if (edits < best) best = edits;
    }
    return [best, refLengths / refs.length];
  }

  scoreStats(edits: number, refLength: number, nrefs: number): TerResult {
    let score: number;
    if (refLength > 0) score = edits / refLength;
    else score = edits > 0 ? 1.0 : 0.0; // empty references: any hypothesis word is an error
    return { name: 'TER', score: 100 * score, numEdits: edits, refLength, signature: this.signature(nrefs) };
  }

  /** corpus(["d e f g h a b c"], [["a b c d e f g h"]]).score -> 12.5 (one shift) */
  corpus(hyps: string[], refStreams: string[][]): TerResult {
    checkStreams(hyps, refStreams);
    let edits = 0;
    let refLength = 0;
    hyps.forEach((hyp, i) => {
      const [e, l] = this.sentenceStats(
        hyp,
        refStreams.map((s) => s[i]),
      );
      edits += e;
      refLength += l;
    });
    return this.scoreStats(edits, refLength, refStreams.length);
  }

  sentence(hyp: string, refs: string[]): TerResult {
    const [e, l] = this.sentenceStats(hyp, refs);
    return this.scoreStats(e, l, refs.length);
  }

  signature(nrefs: number): string {
    return formatSignature(nrefs, [
      ['case', this.caseSensitive ? 'mixed' : 'lc'],
      ['tok', 'tercom'],
      ['norm', 'no'],
      ['punct', 'yes'],
      ['asian', 'no'],
    ]);
  }
}

export function corpusTer(hyps: string[], refStreams: string[][], opts: TerOptions = {}): TerResult {
  return new Ter(opts).corpus(hyps, refStreams);
}
