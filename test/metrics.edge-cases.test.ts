// Edge cases (empty sides, unicode quotes, hyphens, number separators, trailing and Python-only
// whitespace, astral characters, Chinese, XML escapes) for every tokenizer, cased and lowercased.
// Expected values were computed once with sacreBLEU's own source (see the fixture's `generator`).
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { Bleu, Chrf, Ter } from '../src/metrics/index.js';

interface EdgeCase {
  name: string;
  hyps: string[];
  refs: string[][];
  tokenize: string;
  lowercase: boolean;
  bleu: number;
  counts: number[];
  totals: number[];
  sys_len: number;
  ref_len: number;
  sentence_bleu: number[];
  chrf?: number;
  chrfpp?: number;
  ter?: number;
  ter_cs?: number;
}
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/metrics-edge-cases.json', import.meta.url), 'utf8')) as {
  cases: EdgeCase[];
};
const TOL = 1e-6;

describe('edge cases against sacreBLEU', () => {
  it.each(cases.map((c) => [c.name, c.tokenize, c.lowercase, c] as const))(
    '%s (tok %s, lowercase %s)',
    (_n, _t, _l, c) => {
      const r = new Bleu({ tokenize: c.tokenize, lowercase: c.lowercase }).corpus(c.hyps, c.refs);
      expect(r.counts).toEqual(c.counts);
      expect(r.totals).toEqual(c.totals);
      expect([r.sysLen, r.refLen]).toEqual([c.sys_len, c.ref_len]);
      expect(Math.abs(r.score - c.bleu)).toBeLessThan(TOL);
      const sentence = new Bleu({ tokenize: c.tokenize, lowercase: c.lowercase, effectiveOrder: true });
      c.hyps.forEach((h, i) => {
        expect(
          Math.abs(
            sentence.sentence(
              h,
              c.refs.map((s) => s[i]),
            ).score - c.sentence_bleu[i],
          ),
        ).toBeLessThan(TOL);
      });
      if (c.chrf !== undefined) {
        expect(Math.abs(new Chrf().corpus(c.hyps, c.refs).score - c.chrf)).toBeLessThan(TOL);
        expect(Math.abs(new Chrf({ wordOrder: 2 }).corpus(c.hyps, c.refs).score - c.chrfpp!)).toBeLessThan(TOL);
        expect(Math.abs(new Ter().corpus(c.hyps, c.refs).score - c.ter!)).toBeLessThan(TOL);
        expect(Math.abs(new Ter({ caseSensitive: true }).corpus(c.hyps, c.refs).score - c.ter_cs!)).toBeLessThan(TOL);
      }
    },
  );
});
