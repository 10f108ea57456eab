// The logits processors of transformers' generate() that translation models' generation_config
// sets, applied in its order to the log-probabilities (after log_softmax, as transformers does):
// NoBadWordsLogitsProcessor, then ForcedEOSTokenLogitsProcessor.

export interface ProcessorOptions {
  maxLength: number;
  curLen: number; // prefix length, decoder start token included
  forcedEosId?: number;
  badWordsIds?: number[][];
}

/** Edits rows (prefixes.length x vocab log-probs) in place. */
export function applyLogitsProcessors(
  rows: Float32Array,
  vocab: number,
  prefixes: number[][],
  opts: ProcessorOptions,
): void {
  if (opts.badWordsIds?.length) banBadWords(rows, vocab, prefixes, opts.badWordsIds);
  if (opts.forcedEosId !== undefined && opts.curLen === opts.maxLength - 1) {
    // transformers sets eos to 0, not to its log-prob: the forced step adds nothing to the score
    for (let r = 0; r < prefixes.length; r++) {
      rows.fill(-Infinity, r * vocab, (r + 1) * vocab);
      rows[r * vocab + opts.forcedEosId] = 0;
    }
  }
}

/** A bad word's last token is banned when the prefix ends with the rest of it (always, for one-token words). */
function banBadWords(rows: Float32Array, vocab: number, prefixes: number[][], badWords: number[][]): void {
  prefixes.forEach((prefix, r) => {
    for (const word of badWords) {
      const head = word.length - 1;
      if (head > prefix.length) continue;
      let matches = true;
      for (let i = 0; i < head && matches; i++) matches = prefix[prefix.length - head + i] === word[i];
      const token = word[head];
      if (matches && token >= 0 && token < vocab) rows[r * vocab + token] = -Infinity;
    }
  });
}
