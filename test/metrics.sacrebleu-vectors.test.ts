// 40 cases scored by sacreBLEU 2.6.0 on perturbed Debian package descriptions
// (fixture copied from ../shared/fixtures/sacrebleu-vectors.json; generator in its scripts/).
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { Bleu, Chrf, type SmoothMethod, Ter } from '../src/metrics/index.js';

interface Case {
  hyps: string[];
  refs: string[][];
  tokenize: string;
  lowercase: boolean;
  smooth_method: SmoothMethod;
  bleu: number;
  counts: number[];
  totals: number[];
  bp: number;
  sys_len: number;
  ref_len: number;
  signature: string;
  chrf: number;
  chrfpp: number;
  ter: number;
  sentence_bleu_first5: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sacrebleu-vectors.json', import.meta.url), 'utf8'));
const cases: Case[] = fixture.cases;
const TOL = 1e-6;

describe('agreement with sacreBLEU 2.6.0 on 40 real-text cases', () => {
  it('has the 40 cases', () => expect(cases.length).toBe(40));

  it.each(cases.map((c, i) => [i, c] as const))('case %i: corpus BLEU, counts and signature', (_i, c) => {
    const bleu = new Bleu({ tokenize: c.tokenize, lowercase: c.lowercase, smoothMethod: c.smooth_method });
    const r = bleu.corpus(c.hyps, c.refs);
    expect(Math.abs(r.score - c.bleu)).toBeLessThan(TOL);
    expect(r.counts).toEqual(c.counts);
    expect(r.totals).toEqual(c.totals);
    expect(r.sysLen).toBe(c.sys_len);
    expect(r.refLen).toBe(c.ref_len);
    expect(Math.abs(r.bp - c.bp)).toBeLessThan(TOL);
    expect(r.signature.replace(/version:.*/, '')).toBe(c.signature.replace(/version:.*/, ''));
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i: chrF, chrF++ and TER', (_i, c) => {
    expect(Math.abs(new Chrf().corpus(c.hyps, c.refs).score - c.chrf)).toBeLessThan(TOL);
    expect(Math.abs(new Chrf({ wordOrder: 2 }).corpus(c.hyps, c.refs).score - c.chrfpp)).toBeLessThan(TOL);
    expect(Math.abs(new Ter().corpus(c.hyps, c.refs).score - c.ter)).toBeLessThan(TOL);
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i: sentence BLEU with effective order', (_i, c) => {
    const bleu = new Bleu({ tokenize: c.tokenize, lowercase: c.lowercase, effectiveOrder: true });
    c.sentence_bleu_first5.forEach((expected, k) => {
      const got = bleu.sentence(
        c.hyps[k],
        c.refs.map((s) => s[k]),
      ).score;
      expect(Math.abs(got - expected)).toBeLessThan(TOL);
    });
  });
});
