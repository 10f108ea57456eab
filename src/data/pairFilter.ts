// Cleaning of training pairs as peers do it (Marian's and mozilla/translations' corpus filters),
// each rule 'drop' (counted) or 'error' (the first offending pair stops prepare, naming file and
// line): a line over maxChars, an empty or whitespace-only side, a length ratio over maxRatio (in
// characters, longer side over shorter; 0 = off), an exact duplicate pair (a hash of each pair
// kept: 16 bytes a pair, the one structure here that grows with the corpus).
import { createHash } from 'node:crypto';

import { InputError } from '../util/errors.js';

export interface FilterConfig {
  overlong: 'drop' | 'error';
  empty: 'drop' | 'error';
  maxRatio: number;
  duplicates: 'drop' | 'keep';
}

export type FilterCounts = Record<'overlong' | 'empty' | 'ratio' | 'duplicates', number>;

export class PairFilter {
  readonly dropped: FilterCounts = { overlong: 0, empty: 0, ratio: 0, duplicates: 0 };
  private readonly seen = new Set<string>();

  constructor(
    private readonly rules: FilterConfig,
    private readonly maxChars: number,
    private readonly files: [string, string],
  ) {}

  /** Whether pair `line` (1-based) is kept. */
  keep(src: string, tgt: string, line: number): boolean {
    const which = (test: (s: string) => boolean) => (test(src) ? this.files[0] : this.files[1]);
    if (!src.trim() || !tgt.trim())
      return this.reject(
        'empty',
        this.rules.empty,
        which((s) => !s.trim()),
        line,
        'empty line',
      );
    if (src.length > this.maxChars || tgt.length > this.maxChars) {
      const long = Math.max(src.length, tgt.length);
      return this.reject(
        'overlong',
        this.rules.overlong,
        which((s) => s.length === long),
        line,
        `line has ${long} characters, over the limit of ${this.maxChars}`,
      );
    }
    if (
      this.rules.maxRatio > 0 &&
      Math.max(src.length, tgt.length) > this.rules.maxRatio * Math.min(src.length, tgt.length)
    ) {
      this.dropped.ratio++;
      return false;
    }
    if (this.rules.duplicates === 'drop') {
      const key = createHash('md5').update(src).update('\t').update(tgt).digest('base64');
      if (this.seen.has(key)) {
        this.dropped.duplicates++;
        return false;
      }
      this.seen.add(key);
    }
    return true;
  }

  private reject(
    rule: 'overlong' | 'empty',
    action: 'drop' | 'error',
    file: string,
    line: number,
    message: string,
  ): boolean {
    if (action === 'error') throw new InputError(file, line, message);
    this.dropped[rule]++;
    return false;
  }
}
