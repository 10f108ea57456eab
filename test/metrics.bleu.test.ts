// Cases from sacreBLEU's own test suite (test/test_bleu.py, test_sentence_bleu.py), rewritten here.
import { describe, expect, it } from 'vitest';

import { Bleu, bleuFromStats, corpusBleu, type SmoothMethod } from '../src/metrics/index.js';

const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
// sacreBLEU's raw_corpus_bleu: floor smoothing, no tokenization, effective order
const raw = (hyps: string[], refs: string[][], smoothValue: number | null = 0.01) =>
  new Bleu({ tokenize: 'none', smoothMethod: 'floor', smoothValue, effectiveOrder: true }).corpus(hyps, refs);

describe('corpus BLEU (sacreBLEU test_bleu.py)', () => {
  it.each([
    [{}, 48.530827],
    [{ tokenize: 'none' }, 49.1919566],
    [{ tokenize: '13a' }, 48.530827],
    [{ tokenize: 'intl' }, 43.91623493],
    [{ smoothMethod: 'none' as SmoothMethod }, 48.530827],
  ])('README example with %o -> %f', (opts, expected) => {
    expect(corpusBleu(HYPS, REFS, opts).score).toBeCloseTo(expected, 5);
  });

  it('keeps empty hypotheses (score 0, not removed)', () => {
    const r = corpusBleu(['', '', ''], REFS);
    expect(r.score).toBe(0);
    expect(r.sysLen).toBe(0);
    expect(r.refLen).toBeGreaterThan(0);
  });

  it.each([
    [['this is a test', 'another test'], [['ref1', 'ref2']], 0.0],
    [['this is a test'], [['this is a test']], 1.0],
    [['this is a fest'], [['this is a test']], 0.223606797749979],
    [['test'], [['a test']], 0.3678794411714425],
    [['a test'], [['a test']], 1.0],
    [['a little test'], [['a test']], 0.03218297948685433],
  ])('raw BLEU %j vs %j -> %f', (hyps, refs, expected) => {
    expect(Math.abs(raw(hyps, refs).score / 100 - expected)).toBeLessThan(1e-8);
  });

  it('counts and totals of a partial match', () => {
    const r = raw(['am I am a character sequence'], [['I am a symbol string sequence a a']]);
    expect(r.counts).toEqual([4, 2, 1, 0]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
  });

  it('floor smoothing: default 0.1 and explicit 0', () => {
    const hyp = ['am I am a character sequence'];
    const ref = [['I am a symbol string sequence a a']];
    expect(Math.abs(raw(hyp, ref, 0.0).score / 100 - 0)).toBeLessThan(1e-8);
    expect(Math.abs(raw(hyp, ref, null).score / 100 - 0.1555722182)).toBeLessThan(1e-8);
  });

  it('scores from statistics', () => {
    const s = bleuFromStats(
      { sysLen: 11, refLen: 11, correct: [9, 7, 5, 3], total: [10, 8, 6, 4] },
      { smoothMethod: 'none', effectiveOrder: false, maxNgramOrder: 4 },
    );
    expect(Math.abs(s.score / 100 - 0.8375922397)).toBeLessThan(1e-8);
  });

  it.each([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('degenerate statistics %j/%j (sys %i, ref %i, floor %f) give 0', (correct, total, sysLen, refLen, floor) => {
    const s = bleuFromStats(
      { sysLen, refLen, correct, total },
      { smoothMethod: 'floor', smoothValue: floor, effectiveOrder: false, maxNgramOrder: 4 },
    );
    expect(s.score).toBe(0);
  });

  it.each([
    [1, '77.65'],
    [2, '60.50'],
    [3, '53.93'],
    [4, '48.53'],
    [5, '46.14'],
    [6, '43.28'],
  ])('max n-gram order %i -> %s', (order, expected) => {
    expect(new Bleu({ maxNgramOrder: order }).corpus(HYPS, REFS).score.toFixed(2)).toBe(expected);
  });
});

describe('sentence BLEU (sacreBLEU test_sentence_bleu.py)', () => {
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  it.each([
    ['exp', null, false, '13a', 8.493],
    ['none', null, false, '13a', 0.0],
    ['floor', null, false, '13a', 4.51688],
    ['floor', 0.1, false, '13a', 4.51688],
    ['floor', 0.5, false, '13a', 10.1],
    ['add-k', null, false, '13a', 14.882],
    ['add-k', 1, false, '13a', 14.882],
    ['add-k', 2, false, '13a', 21.389],
    ['exp', null, false, 'none', 7.347],
    ['exp', null, false, 'intl', 8.493],
    ['exp', null, false, 'char', 40.8759],
    ['exp', null, true, 'char', 42.0267],
  ] as const)(
    'smooth %s (%s), lowercase %s, tok %s -> %f',
    (smoothMethod, smoothValue, lowercase, tokenize, expected) => {
      const bleu = new Bleu({ smoothMethod, smoothValue, lowercase, tokenize, effectiveOrder: true });
      expect(Math.abs(bleu.sentence(SYS, [REF]).score - expected)).toBeLessThan(1e-3);
    },
  );

  it.each(['exp', 'none', 'floor', 'add-k'] as const)('no match at all is 0 with %s smoothing', (smoothMethod) => {
    expect(new Bleu({ smoothMethod, effectiveOrder: true }).sentence('this is a cat', ['okay thanks']).score).toBe(0);
  });
});

describe('signatures', () => {
  it('names options as sacreBLEU does and this implementation as the version', () => {
    expect(new Bleu().signature(1)).toBe('nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:kd-0.1.0');
    expect(new Bleu({ lowercase: true, smoothMethod: 'floor', tokenize: 'intl' }).signature(2)).toBe(
      'nrefs:2|case:lc|eff:no|tok:intl|smooth:floor[0.10]|version:kd-0.1.0',
    );
    expect(new Bleu({ smoothMethod: 'add-k', smoothValue: 2, effectiveOrder: true }).signature(1)).toBe(
      'nrefs:1|case:mixed|eff:yes|tok:13a|smooth:add-k[2.00]|version:kd-0.1.0',
    );
  });
  it('rejects an unknown tokenizer and smoothing method', () => {
    expect(() => new Bleu({ tokenize: 'moses' })).toThrow(/unknown BLEU tokenizer 'moses'/);
    expect(() => new Bleu({ smoothMethod: 'laplace' as SmoothMethod })).toThrow(/unknown smoothing method/);
  });
});
