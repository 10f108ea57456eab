// Builds a sentence-aligned corpus from two DDTP indexes: align descriptions by
// Description-md5, clean, deduplicate by source sentence, split deterministically by a hash
// of the source sentence (so no source sentence is in two splits, and reruns give the same
// splits). Holds the target-language index and the kept pairs in memory: both are bounded by
// the size of Debian's description set (tens of thousands of sentences), not a user's corpus.
import { createHash } from 'node:crypto';

import { alignDescriptions, type PairStats } from './pairs.js';
import { type Description, readDescriptions } from './stanzas.js';

export interface CleanRules {
  maxChars: number; // longest sentence kept, either side (default 200)
  maxLengthRatio: number; // longest/shortest side in characters (default 2.5)
  minChars: number; // shortest sentence kept (default 2)
}

/** kd corpus ddtp's settings (the command's flags) */
export interface DdtpConfig {
  src: string;
  tgt: string;
  listsDir: string; // default /var/lib/apt/lists
  outDir: string; // default corpora/ddtp-SRC-TGT
  dev: number; // default 1000
  test: number; // default 1500
  rules: CleanRules;
}

export interface SplitSizes {
  dev: number;
  test: number;
}

export interface BuiltCorpus {
  train: Array<[string, string]>;
  dev: Array<[string, string]>;
  test: Array<[string, string]>;
  counts: Record<string, number>;
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Why a pair is dropped, or null to keep it. */
export function rejectReason(src: string, tgt: string, rules: CleanRules): string | null {
  if (src.length < rules.minChars || tgt.length < rules.minChars) return 'too short';
  if (src.length > rules.maxChars || tgt.length > rules.maxChars) return 'too long';
  if (Math.max(src.length, tgt.length) / Math.min(src.length, tgt.length) > rules.maxLengthRatio) return 'length ratio';
  if (src === tgt) return 'untranslated';
  return null;
}

export async function buildDdtpCorpus(opts: {
  srcIndex: string;
  tgtIndex: string;
  src: string;
  tgt: string;
  rules: CleanRules;
  sizes: SplitSizes;
}): Promise<BuiltCorpus> {
  const targets = new Map<string, Description>();
  for await (const d of readDescriptions(opts.tgtIndex, opts.tgt)) targets.set(d.md5, d);
  const counts: Record<string, number> = {
    [`descriptions_${opts.tgt}`]: targets.size,
    aligned_descriptions: 0,
    candidate_pairs: 0,
    duplicate_source: 0,
  };
  const stats: PairStats = { descriptions: 0, paragraphsKept: 0, paragraphsDropped: 0 };
  const seenMd5 = new Set<string>();
  const bySource = new Map<string, string>();
  for await (const d of readDescriptions(opts.srcIndex, opts.src)) {
    const t = targets.get(d.md5);
    if (!t || seenMd5.has(d.md5)) continue; // several packages share one description
    seenMd5.add(d.md5);
    for (const [rawS, rawT] of alignDescriptions(d, t, stats)) {
      counts.candidate_pairs++;
      const s = normalize(rawS);
      const tt = normalize(rawT);
      const why = rejectReason(s, tt, opts.rules);
      if (why) counts[`dropped: ${why}`] = (counts[`dropped: ${why}`] ?? 0) + 1;
      else if (bySource.has(s)) counts.duplicate_source++;
      else bySource.set(s, tt);
    }
  }
  counts.aligned_descriptions = stats.descriptions;
  counts.paragraphs_kept = stats.paragraphsKept;
  counts.paragraphs_dropped_count_mismatch = stats.paragraphsDropped;
  const hashed = [...bySource].map(([s, t]) => ({
    key: createHash('sha1').update(s).digest('hex'),
    pair: [s, t] as [string, string],
  }));
  hashed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const pairs = hashed.map((h) => h.pair);
  const { test, dev } = opts.sizes;
  if (pairs.length < test + dev + 1)
    throw new Error(`only ${pairs.length} pairs survived cleaning; need more than ${test + dev}`);
  return { test: pairs.slice(0, test), dev: pairs.slice(test, test + dev), train: pairs.slice(test + dev), counts };
}
