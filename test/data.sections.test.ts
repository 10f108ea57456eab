// The debian-sections dataset builder on a small committed excerpt of apt's indexes
// (test/fixtures/sections: made by hand, with duplicates, an ambiguous text, rare sections,
// a package without a long description, and three malformed stanzas).
import { describe, expect, it } from 'vitest';

import { buildSectionsDataset, cleanText, OTHER, SPLITS } from '../src/data/sections/build.js';

const FIXTURE = 'test/fixtures/sections';
const build = () =>
  buildSectionsDataset({
    packagesIndexes: [`${FIXTURE}/Packages`],
    translationIndex: `${FIXTURE}/Translation-en`,
    rules: { minClassSize: 5, maxChars: 400, fractions: { dev: 0.25, test: 0.25, transfer: 0.25 } },
  });

describe('debian-sections builder', () => {
  it('labels short + first long paragraph with the section, merges rare sections, drops ambiguous texts', async () => {
    const d = await build();
    expect(d.classes).toEqual(['games', 'libs', 'python', OTHER]);
    expect(d.merged).toEqual({ mail: 2, editors: 1 });
    expect(d.classCounts).toEqual({ games: 13, libs: 12, python: 12, [OTHER]: 3 });
    const all = SPLITS.flatMap((s) => d.splits[s]);
    expect(all.find((x) => x.text.startsWith('shared library for images'))).toEqual({
      label: 'libs',
      text: 'shared library for images. This package provides images support (libs 0).',
    });
    expect(all.find((x) => x.text.startsWith('card game'))!.text).toBe('card game without a long description');
    expect(all.some((x) => x.text.startsWith('transitional dummy'))).toBe(false);
    expect(d.counts).toMatchObject({
      stanzas: 46,
      duplicateText: 2,
      ambiguousText: 1,
      withoutLongDescription: 1,
      missingField: 1,
      malformed: 2,
      kept: 40,
    });
  });

  it('skips malformed stanzas and names their file and line', async () => {
    const d = await build();
    expect(d.skipped).toHaveLength(3);
    expect(d.skipped[0]).toMatch(/Packages:\d+: stanza without Section$/);
    expect(d.skipped[1]).toMatch(/Packages:\d+: line \d+: neither a field nor a continuation$/);
    expect(d.skipped[2]).toMatch(/Packages:\d+: line \d+: field Section repeated$/);
  });

  it('splits are stratified, disjoint and the same on every build', async () => {
    const a = await build();
    const b = await build();
    expect(b.splits).toEqual(a.splits);
    for (const label of ['libs', 'python']) {
      for (const split of SPLITS) expect(a.splits[split].filter((x) => x.label === label)).toHaveLength(3);
    }
    const texts = SPLITS.flatMap((s) => a.splits[s].map((x) => x.text));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('cleans whitespace and cuts long texts at a word boundary', () => {
    expect(cleanText('  a\tb \n c  ', 10)).toBe('a b c');
    expect(cleanText('one two three four', 12)).toBe('one two');
  });
});
