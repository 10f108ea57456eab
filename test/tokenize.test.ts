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
