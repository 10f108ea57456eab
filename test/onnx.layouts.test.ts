// Model folders as people have them: the onnx/ layout (transformers.js, kd export), the optimum
// layout (ONNX files at the top level), quantized files only, and Marian's source.spm/target.spm +
// vocab.json without tokenizer.json (SentencePiece through sentencepiece-js, checked against
// transformers' MarianTokenizer: test/fixtures/tiny-marian-spm-golden.json). Each folder is built
// from the fixtures by moving files; a folder missing what it needs lists every path looked for.
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadHfTokenizer } from '../src/onnx/hfTokenizer.js';
import { openModelDir } from '../src/onnx/modelDir.js';
import { TeacherVocabulary } from '../src/runtime/teacherVocabulary.js';
import { runKd, tempFiles } from './helpers/runKd.js';

const golden = JSON.parse(readFileSync('test/fixtures/tiny-marian-spm-golden.json', 'utf8')) as {
  cases: Array<{ text: string; ids: number[]; decoded: string }>;
};
const texts = golden.cases.map((c) => c.text).filter((t) => t.trim() !== '');

/** test/fixtures/tiny-marian with its ONNX files moved to the top level (optimum-cli's layout). */
function optimumLayout(root: string, fixture = 'test/fixtures/tiny-marian'): string {
  const dir = join(root, 'optimum');
  cpSync(fixture, dir, { recursive: true });
  for (const f of readdirSync(join(dir, 'onnx'))) renameSync(join(dir, 'onnx', f), join(dir, f));
  rmSync(join(dir, 'onnx'), { recursive: true });
  return dir;
}

/** tiny-marian's model with Marian's SentencePiece files in place of tokenizer.json. */
function marianSpmFolder(root: string): string {
  const dir = join(root, 'marian');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'generation_config.json']) cpSync(join('test/fixtures/tiny-marian', f), join(dir, f));
  cpSync('test/fixtures/tiny-marian/onnx', join(dir, 'onnx'), { recursive: true });
  cpSync('test/fixtures/tiny-marian-spm', dir, { recursive: true });
  return dir;
}

describe('model folder layouts', () => {
  it('the optimum layout (ONNX files at the top level) translates as the onnx/ layout does', async () => {
    const dir = tempFiles({ 'in.txt': `${texts.slice(0, 6).join('\n')}\n` });
    const optimum = optimumLayout(dir);
    expect(openModelDir(optimum).onnx.encoder).toBe(join(optimum, 'encoder_model.onnx'));
    const run = async (model: string, out: string) => {
      const r = await runKd([
        'translate',
        '--model',
        model,
        '-i',
        join(dir, 'in.txt'),
        '-o',
        join(dir, out),
        '--num-beams',
        '2',
        '--max-length',
        '20',
        '--threads',
        '1',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(dir, out), 'utf8');
    };
    expect(await run(optimum, 'a.txt')).toBe(await run('test/fixtures/tiny-marian', 'b.txt'));
  });

  it('a classifier with model.onnx at the top level labels as the onnx/ layout does', async () => {
    const dir = tempFiles({ 'in.txt': 'a short text\nanother one\n' });
    const optimum = optimumLayout(dir, 'test/fixtures/tiny-bert');
    const run = async (model: string, out: string) => {
      const r = await runKd([
        'label',
        '--model',
        model,
        '-i',
        join(dir, 'in.txt'),
        '-o',
        join(dir, out),
        '--threads',
        '1',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(dir, out), 'utf8');
    };
    expect(await run(optimum, 'a.jsonl')).toBe(await run('test/fixtures/tiny-bert', 'b.jsonl'));
  });

  it('a folder holding only quantized files is read in that precision; asking for fp32 lists every path looked for', () => {
    const dir = tempFiles({});
    const model = join(dir, 'q8');
    cpSync('test/fixtures/tiny-marian', model, { recursive: true });
    for (const f of readdirSync(join(model, 'onnx')))
      renameSync(join(model, 'onnx', f), join(model, 'onnx', f.replace('.onnx', '_quantized.onnx')));
    const md = openModelDir(model);
    expect(md.dtype).toBe('q8');
    expect(md.onnx.decoder).toBe(join(model, 'onnx', 'decoder_model_quantized.onnx'));
    expect(() => openModelDir(model, { dtype: 'fp32' })).toThrow(
      `${model}: no ONNX model found: a translation model needs an encoder and a decoder (decoder_model or decoder_model_merged) in dtype fp32; looked for ` +
        [
          'onnx/encoder_model',
          'onnx/decoder_model',
          'onnx/decoder_model_merged',
          'encoder_model',
          'decoder_model',
          'decoder_model_merged',
        ]
          .map((f) => `${join(model, f)}.onnx`)
          .join(', '),
    );
  });
});

describe("Marian's SentencePiece files (no tokenizer.json)", () => {
  it("encodes as transformers' MarianTokenizer does (ids with </s>) and decodes as its decode(skip_special_tokens) does", async () => {
    const tok = await loadHfTokenizer('test/fixtures/tiny-marian-spm');
    for (const c of golden.cases) {
      expect(tok.encode(c.text), JSON.stringify(c.text)).toEqual(c.ids);
      expect(tok.encodePlain(c.text)).toEqual(c.ids.slice(0, -1));
      expect(tok.decode(c.ids), JSON.stringify(c.text)).toBe(c.decoded);
    }
    expect(golden.cases.some((c) => c.ids.includes(1))).toBe(true); // the cases reach <unk>
  });

  it('kd translate reads text with them: the same translations as the MarianTokenizer ids given as ids', async () => {
    const dir = tempFiles({});
    const model = marianSpmFolder(dir);
    const cases = golden.cases.filter((c) => c.text.trim() !== '').slice(0, 8);
    const write = (name: string, lines: string[]) => writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
    write(
      'text.txt',
      cases.map((c) => c.text),
    );
    write(
      'ids.txt',
      cases.map((c) => c.ids.join(' ')),
    );
    const common = ['--model', model, '--num-beams', '2', '--max-length', '20', '--threads', '1'];
    const t = await runKd(['translate', ...common, '-i', join(dir, 'text.txt'), '-o', join(dir, 'text.out')]);
    expect(t.code, t.stderr).toBe(0);
    const i = await runKd([
      'translate',
      ...common,
      '-i',
      join(dir, 'ids.txt'),
      '-o',
      join(dir, 'ids.out'),
      '--input-format',
      'ids',
    ]);
    expect(i.code, i.stderr).toBe(0);
    const fromIds = readFileSync(join(dir, 'ids.out'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { nbest: Array<{ text: string }> }).nbest[0].text);
    expect(readFileSync(join(dir, 'text.out'), 'utf8').trimEnd().split('\n')).toEqual(fromIds);
  });

  it('a pretrained teacher with them gives the pipeline its vocabulary (ids renumbered, text back)', async () => {
    const vocab = await TeacherVocabulary.load(marianSpmFolder(tempFiles({})));
    expect(vocab.vocabSize).toBe(603);
    const text = texts[0];
    expect(vocab.decode(vocab.encode(text))).toBe(golden.cases[0].decoded);
    expect(vocab.teacherSource(vocab.encode(text))).toEqual(golden.cases[0].ids); // its </s> after, as MarianTokenizer writes
  });

  it('a folder with no tokenizer at all says what was looked for', async () => {
    const dir = tempFiles({ 'in.txt': 'hello\n' });
    const model = join(dir, 'bare');
    cpSync('test/fixtures/tiny-marian', model, { recursive: true });
    rmSync(join(model, 'tokenizer.json'));
    const r = await runKd(['translate', '--model', model, '-i', join(dir, 'in.txt'), '-o', join(dir, 'o.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `no tokenizer: text input needs the model's tokenizer; looked for ${join(model, 'tokenizer.json')}, and ${join(model, 'source.spm')} with ${join(model, 'vocab.json')}`,
    );
  });
});
