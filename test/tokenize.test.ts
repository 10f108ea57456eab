// The BPE tokenizer on real DDTP text: exact round trips, byte fallback, determinism.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { readAllLines } from '../src/data/textLines.js';
import { EOS, Tokenizer } from '../src/tokenize/tokenizer.js';

const corpus = new URL('../corpora/ddtp-en-de/dev.de.gz', import.meta.url).pathname;

describe('BPE tokenizer', async () => {
  const lines = await readAllLines(corpus);
  const tok = Tokenizer.train(lines.slice(0, 800), { vocabSize: 1200 });

  it('reaches the requested vocabulary size on real text', () => {
    expect(tok.vocabSize).toBe(1200);
  });

  it('decode(encode(x)) == x on every held-out line of real German text', () => {
    for (const line of lines.slice(800)) expect(tok.decode(tok.encode(line))).toBe(line);
  });

  it.each([
    'Straße, „Anführungszeichen“ – 100 %',
    '  leading and  double  spaces ',
    'emoji 😀 and 漢字 unseen in training',
    'a literal \u2581 marker stays a marker',
    'tabs\tand\nnewlines',
    '',
  ])('round-trips %j exactly', (text) => {
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('encodes only the first maxTokens ids, as encoding all and cutting does', () => {
    const held = [...lines.slice(800, 1000), '', ' ', 'a  b ', ' leading space', 'trailing  '];
    for (const line of held)
      for (const max of [0, 1, 5, 48, 10_000]) expect(tok.encode(line, max)).toEqual(tok.encode(line).slice(0, max));
  });

  it('splits each word as textbook BPE does: the lowest-ranked merge present, leftmost first', () => {
    // the definition, on strings, written apart from the tokenizer's integer-keyed loop
    const rank = new Map(tok.model.merges.map(([a, b], i) => [`${a} ${b}`, i] as const));
    const known = new Set([...tok.model.chars, ...tok.model.merges.map(([a, b]) => a + b)]);
    const bpe = (word: string): string[] => {
      let syms = [...word].map((ch) => (known.has(ch) && ch !== '\u2581' ? ch : `<${ch}>`));
      if (word.startsWith('\u2581')) syms[0] = '\u2581';
      for (;;) {
        let best = -1;
        for (let i = 0; i + 1 < syms.length; i++) {
          const r = rank.get(`${syms[i]} ${syms[i + 1]}`);
          if (r !== undefined && (best < 0 || r < (rank.get(`${syms[best]} ${syms[best + 1]}`) as number))) best = i;
        }
        if (best < 0) return syms;
        syms = [...syms.slice(0, best), syms[best] + syms[best + 1], ...syms.slice(best + 2)];
      }
    };
    let words = 0;
    for (const line of lines.slice(800, 1100))
      for (const [i, w] of line.split(' ').entries()) {
        if (!w || [...w].some((ch) => !known.has(ch))) continue; // byte fallback is tested above
        const word = i === 0 ? w : `\u2581${w}`;
        // ' w' encodes as the word with its space marker
        const pieces = tok.encode(i === 0 ? w : ` ${w}`).map((id) => tok.piece(id));
        expect(pieces).toEqual(bpe(word));
        words++;
      }
    expect(words).toBeGreaterThan(1000);
  });

  it('compresses: frequent words become one token', () => {
    expect(tok.encode('Dieses Paket enthält').length).toBeLessThanOrEqual(4);
  });

  it('skips special tokens when decoding, and saves and loads identically', async () => {
    const ids = tok.encode('Dieses Paket');
    expect(tok.decode([...ids, EOS])).toBe('Dieses Paket');
    const file = join(mkdtempSync(join(tmpdir(), 'kd-tok-')), 'tokenizer.json');
    await tok.save(file);
    const again = Tokenizer.load(file);
    expect(again.hash).toBe(tok.hash);
    expect(again.encode(lines[900])).toEqual(tok.encode(lines[900]));
  });

  it('trains deterministically', () => {
    expect(Tokenizer.train(lines.slice(0, 300), { vocabSize: 500 }).hash).toBe(
      Tokenizer.train(lines.slice(0, 300), { vocabSize: 500 }).hash,
    );
  });
});
