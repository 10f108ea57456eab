// Sentence pairs from two DDTP descriptions of the same text (same Description-md5): the short
// descriptions pair up; each long-description paragraph pairs when both have the same number of
// paragraphs, and its sentences pair when both split into the same number of sentences.
import { splitSentences } from './sentences.js';
import type { Description } from './stanzas.js';

export interface PairStats {
  descriptions: number;
  paragraphsKept: number;
  paragraphsDropped: number;
}

export function alignDescriptions(src: Description, tgt: Description, stats: PairStats): Array<[string, string]> {
  stats.descriptions++;
  const pairs: Array<[string, string]> = [[src.short, tgt.short]];
  if (src.paragraphs.length !== tgt.paragraphs.length) {
    stats.paragraphsDropped += Math.max(src.paragraphs.length, tgt.paragraphs.length);
    return pairs;
  }
  src.paragraphs.forEach((p, i) => {
    const s = splitSentences(p);
    const t = splitSentences(tgt.paragraphs[i]);
    if (s.length !== t.length) {
      stats.paragraphsDropped++;
      return;
    }
    stats.paragraphsKept++;
    s.forEach((sentence, k) => pairs.push([sentence, t[k]]));
  });
  return pairs;
}
