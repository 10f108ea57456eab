// The DDTP builder on a small committed excerpt of apt's Translation indexes.
import { describe, expect, it } from 'vitest';

import { buildDdtpCorpus, rejectReason } from '../src/data/ddtp/build.js';
import { splitSentences } from '../src/data/ddtp/sentences.js';
import { readDescriptions } from '../src/data/ddtp/stanzas.js';

const fx = (name: string) => new URL(`./fixtures/ddtp/${name}`, import.meta.url).pathname;
const RULES = { maxChars: 200, maxLengthRatio: 2.5, minChars: 2 };

describe('DDTP corpus builder', () => {
  it('reads stanzas with short description and paragraphs', async () => {
    const all = [];
    for await (const d of readDescriptions(fx('Translation-en'), 'en')) all.push(d);
    expect(all.map((d) => d.package)).toEqual(['alpha', 'alpha-doc', 'beta', 'gamma', 'delta']);
    expect(all[0].paragraphs).toEqual([
      'Alpha searches text files quickly. It supports regular expressions.',
      'This package contains the command-line tool.',
    ]);
  });

  it('names the file and line of a stanza without Description-md5', async () => {
    const read = async () => {
      for await (const _ of readDescriptions(fx('Translation-broken'), 'de')) void _;
    };
    await expect(read()).rejects.toThrow(/Translation-broken:1: stanza without md5/);
  });

  it('splits sentences but not after abbreviations', () => {
    expect(splitSentences('It works. It is fast! Really?')).toEqual(['It works.', 'It is fast!', 'Really?']);
    expect(splitSentences('Delta liest Foo-Dateien, z. B. Foo-Dokumente. Es ist gut.')).toEqual([
      'Delta liest Foo-Dateien, z. B. Foo-Dokumente.',
      'Es ist gut.',
    ]);
    expect(splitSentences('Version 2.0 is out. 3 bugs fixed.')).toEqual(['Version 2.0 is out.', '3 bugs fixed.']);
  });

  it('pairs by md5 once, keeps paragraphs whose sentence counts match, splits deterministically', async () => {
    const build = () =>
      buildDdtpCorpus({
        srcIndex: fx('Translation-en'),
        tgtIndex: fx('Translation-de'),
        src: 'en',
        tgt: 'de',
        rules: RULES,
        sizes: { dev: 1, test: 1 },
      });
    const c = await build();
    const all = [...c.train, ...c.dev, ...c.test];
    const sources = all.map((p) => p[0]);
    expect(new Set(sources).size).toBe(sources.length);
    expect(sources).toContain('Alpha searches text files quickly.');
    expect(all).toContainEqual(['It supports regular expressions.', 'Es unterstützt reguläre Ausdrücke.']);
    // beta: 3 English sentences against 2 German ones: only the short description survives
    expect(sources).toContain('image viewer');
    expect(sources).not.toContain('Beta shows images.');
    expect(sources).not.toContain('Gamma has no translation.');
    expect(c.counts.aligned_descriptions).toBe(3);
    expect(c.test).toHaveLength(1);
    expect(c.dev).toHaveLength(1);
    expect(await build()).toEqual(c);
  });

  it('rejects pairs by length, ratio and untranslated text', () => {
    expect(rejectReason('a'.repeat(201), 'b'.repeat(150), RULES)).toBe('too long');
    expect(rejectReason('short text', 'a much much longer translation', RULES)).toBe('length ratio');
    expect(rejectReason('same', 'same', RULES)).toBe('untranslated');
    expect(rejectReason('Hello world', 'Hallo Welt', RULES)).toBeNull();
  });
});
