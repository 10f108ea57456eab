// Pretrained tokenizers load offline through transformers.js and give the ids Hugging Face's did.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { loadHfTokenizer, truncate } from '../src/onnx/hfTokenizer.js';

const bert = JSON.parse(readFileSync('test/fixtures/tiny-bert-golden.json', 'utf8'));
const marian = JSON.parse(readFileSync('test/fixtures/tiny-marian-golden.json', 'utf8'));

describe('pretrained tokenizers', () => {
  it('BERT WordPiece ids equal the fixture ([CLS] ... [SEP])', async () => {
    const tok = await loadHfTokenizer('test/fixtures/tiny-bert', { maxLength: 64 });
    for (const c of bert.cases) expect(tok.encode(c.text)).toEqual(c.input_ids);
  });

  it('Marian Unigram ids equal the fixture (before its 30-id cut) and decode back', async () => {
    const tok = await loadHfTokenizer('test/fixtures/tiny-marian');
    for (const c of marian.cases) {
      expect(tok.encode(c.text).slice(0, 30)).toEqual(c.input_ids);
      if (c.input_ids.length < 30) expect(tok.decode(tok.encode(c.text))).toBe(c.text.normalize('NFKC'));
    }
  });

  it('truncation keeps the special tokens around the cut text', async () => {
    expect(truncate([2, 10, 11, 12, 13, 3], [10, 11, 12, 13], 4)).toEqual([2, 10, 11, 3]);
    expect(truncate([10, 11, 12, 0], [10, 11, 12], 3)).toEqual([10, 11, 0]);
    const tok = await loadHfTokenizer('test/fixtures/tiny-bert', { maxLength: 5 });
    const ids = tok.encode('this is a rather long sentence for five ids');
    expect(ids).toHaveLength(5);
    expect([ids[0], ids[4]]).toEqual([2, 3]);
  });
});
