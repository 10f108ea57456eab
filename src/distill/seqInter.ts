// Sequence-level interpolation (Kim & Rush 2016): of the teacher's n-best list, train on the
// hypothesis closest to the reference, by sentence BLEU (ties keep the teacher's better-ranked one).
import { Bleu } from '../metrics/index.js';

const sentenceBleu = new Bleu({ effectiveOrder: true });

/** seqInterSelect(["a b", "a c"], "a c") -> 1 */
export function seqInterSelect(nbest: string[], reference: string): number {
  let best = 0;
  let bestScore = -1;
  nbest.forEach((hyp, i) => {
    const s = sentenceBleu.sentence(hyp, [reference]).score;
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  });
  return best;
}
