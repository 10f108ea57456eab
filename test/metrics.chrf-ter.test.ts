// Cases from sacreBLEU's own test suite (test/test_chrf.py, test_ter.py), rewritten here.
import { describe, expect, it } from 'vitest';

import { Chrf, Ter } from '../src/metrics/index.js';
import { rng } from '../src/train/batches.js';

describe('chrF (sacreBLEU test_chrf.py, beta 3)', () => {
  it.each([
    [['abcdefg'], ['hijklmnop'], 0.0],
    [['a'], ['b'], 0.0],
    [[''], ['b'], 0.0],
    [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50.0],
    [['a b c'], ['abc'], 50.0],
    [
      [
        ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      ],
      [
        'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      ],
      63.36173,
    ],
    [
      [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      64.1302698,
    ],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100.0],
  ])('eps smoothing: %j vs %j -> %f', (hyps, refs, expected) => {
    const score = new Chrf({ beta: 3, epsSmoothing: true }).corpus(hyps, [refs]).score;
    expect(Math.abs(score - expected)).toBeLessThan(1e-4);
  });

  it.each([
    [['a'], ['a'], 100.0],
    [[''], ['reference'], 0.0],
    [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0],
    [[''], ['c'], 0.0],
    [['a', 'b'], ['a', 'c'], 50.0],
    [['aa'], ['ab'], 25.0],
  ])('effective order: %j vs %j -> %f', (hyps, refs, expected) => {
    expect(Math.abs(new Chrf({ beta: 3 }).corpus(hyps, [refs]).score - expected)).toBeLessThan(1e-4);
  });

  it.each([
    [
      ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      67.3481606,
    ],
    [
      [
        'risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      ],
      [
        'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      ],
      65.2414427,
    ],
  ])('keeping whitespace: %j -> %f', (hyps, refs, expected) => {
    expect(Math.abs(new Chrf({ beta: 3, whitespace: true }).corpus(hyps, [refs]).score - expected)).toBeLessThan(1e-4);
  });

  it.each([
    [
      'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
      39.14078509,
    ],
    [
      'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
      31.22557079,
    ],
    [
      'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
      57.15704367,
    ],
  ])('sentence level: %s', (hyp, ref, expected) => {
    expect(Math.abs(new Chrf({ epsSmoothing: true }).sentence(hyp, [ref]).score - expected)).toBeLessThan(1e-4);
  });

  it('names chrF and chrF++ and signs them', () => {
    expect(new Chrf().name).toBe('chrF2');
    expect(new Chrf({ wordOrder: 2 }).name).toBe('chrF2++');
    expect(new Chrf({ wordOrder: 2 }).signature(1)).toBe(
      'nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:kd-0.1.0',
    );
  });
});

describe('TER (sacreBLEU test_ter.py)', () => {
  it.each([
    [['aaaa bbbb cccc dddd'], ['aaaa bbbb cccc dddd'], 0],
    [['dddd eeee ffff'], ['aaaa bbbb cccc'], 1],
    [[''], ['a'], 1],
    [['a'], [''], 1],
    [[''], [''], 0],
    [['d e f g h a b c'], ['a b c d e f g h'], 1 / 8],
  ])('%j vs %j -> %f', (hyps, refs, expected) => {
    expect(Math.abs(new Ter().corpus(hyps, [refs]).score - 100 * expected)).toBeLessThan(1e-3);
  });

  it('a realistic WMT example -> 13.6', () => {
    const hyps = [
      'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .',
      'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
      'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .',
      'Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .',
      'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
    ];
    const refs = [
      'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit die Darstellung des Bildes in einer anderen Größe beibehalten wird .',
      'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
      'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .',
      'Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .',
      'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
    ];
    expect(Math.abs(new Ter().corpus(hyps, [refs]).score - 13.6)).toBeLessThan(1e-3);
    expect(new Ter().signature(1)).toBe('nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:kd-0.1.0');
  });
});

describe('TER on very long lines', () => {
  const words = (n: number, seed: number) => {
    const r = rng(seed);
    return Array.from({ length: n }, () => `w${Math.floor(r() * 500)}`);
  };

  it('equals sacreBLEU 2.6.0 on a 3,000-word line with substitutions and block swaps', () => {
    const r = rng(11);
    const ref = Array.from({ length: 3000 }, () => `w${Math.floor(r() * 500)}`);
    const hyp = [...ref];
    for (let n = 0; n < 300; n++) {
      const i = Math.floor(r() * hyp.length);
      hyp[i] = `x${hyp[i]}`;
    }
    for (let n = 0; n < 20; n++) {
      const i = Math.floor(r() * (hyp.length - 5));
      const j = Math.floor(r() * (hyp.length - 5));
      const a = hyp.slice(i, i + 3);
      const b = hyp.slice(j, j + 3);
      hyp.splice(i, 3, ...b);
      hyp.splice(j, 3, ...a);
    }
    // sacrebleu.metrics.TER().corpus_score([hyp], [[ref]]).score, sacreBLEU 2.6.0
    expect(new Ter().corpus([hyp.join(' ')], [[ref.join(' ')]]).score).toBeCloseTo(13.066666666666665, 9);
  });

  it('scores a 25,000-word line (rows keep only their band: memory no longer grows with the square)', () => {
    const ref = words(25_000, 3);
    const hyp = ref.map((w, i) => (i % 100 === 0 ? `x${w}` : w));
    expect(new Ter().corpus([hyp.join(' ')], [[ref.join(' ')]]).score).toBeCloseTo((100 * 250) / 25_000, 9);
  });
});
