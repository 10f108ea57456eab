// kd export --quantize int8: each graph beside its fp32 file as NAME_quantized.onnx, in the ONNX
// pattern onnxruntime's quantize_dynamic writes (DynamicQuantizeLinear, MatMulInteger, Cast, Mul;
// int8 tables gathered and scaled), which onnxruntime-node's CPU optimiser fuses into its int8
// kernels; outputs close to fp32 (stated tolerances below); transformers.js (dtype 'q8'),
// kd translate --dtype q8 and kd label --dtype q8 load the files.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { TextClassifier } from '../src/classify/textClassifier.js';
import { beamSearch } from '../src/decode/beamSearch.js';
import { initBackend } from '../src/engine/tf.js';
import { exportClassifier } from '../src/export/exportClassifier.js';
import { exportTranslation } from '../src/export/exportTranslation.js';
import { tensorsOf } from '../src/export/weights.js';
import { Transformer } from '../src/models/transformer.js';
import { OnnxSeq2Seq } from '../src/onnx/seq2seq.js';
import { loadClassifier } from '../src/runtime/classifier.js';
import { EOS, Tokenizer } from '../src/tokenize/tokenizer.js';
import { count, onnxSummary } from './helpers/onnxOps.js';
import { runKd } from './helpers/runKd.js';
import { TINY_CLASSIFIER, TINY_LABELS } from './helpers/tinyClassifier.js';
import { transformersJsGreedy } from './helpers/transformersJsGreedy.js';

const lines = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'kd-quant-'));
const GRAPHS = ['encoder_model', 'decoder_model', 'decoder_with_past_model', 'decoder_model_merged'];
let tok: Tokenizer;
let model: Transformer;
const sources = () => lines.slice(300, 340).map((l) => [...tok.encode(l), EOS]);

beforeAll(async () => {
  await initBackend('cpu', () => {});
  tok = Tokenizer.train(lines.slice(0, 300), { vocabSize: 400 });
  model = Transformer.init(
    { vocabSize: tok.vocabSize, dModel: 32, ffDim: 64, heads: 4, encLayers: 2, decLayers: 2, dropout: 0 },
    11,
  );
  exportTranslation(model, tok, join(dir, 'model'), { quantize: 'int8' });
  exportTranslation(model, tok, join(dir, 'per-tensor'), {
    quantize: 'int8',
    fp32: false,
    quantizeOptions: { perChannel: false },
  });
});

/** Teacher-forced logits of the first 8 tokens of each source, and greedy outputs, of one export. */
async function outputs(folder: string, dtype: 'auto' | 'q8' = 'auto') {
  const m = await OnnxSeq2Seq.load(folder, { threads: 1, dtype });
  const src = sources();
  const forced = await m.forcedLogits(
    src,
    src.map((s) => [m.decoderStartId, ...s.slice(0, 8)]),
  );
  const greedy = (await beamSearch(m, src, { numBeams: 1, maxLength: 14 })).map((h) => h[0].tokens.join(' '));
  return { m, logits: forced.logits, greedy };
}

const meanAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
const rms = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);

describe('kd export --quantize int8 (translation)', () => {
  it('writes every graph twice, the quantized one in standard ONNX ops with int8 weights, at most 45% of the fp32 bytes (tiny model: graph structure is a large share)', () => {
    for (const g of GRAPHS) {
      const fp32 = join(dir, 'model', 'onnx', `${g}.onnx`);
      const q8 = join(dir, 'model', 'onnx', `${g}_quantized.onnx`);
      expect(statSync(q8).size / statSync(fp32).size, g).toBeLessThan(0.45);
      const s = onnxSummary(q8);
      expect(s.domains, g).toEqual([]); // no com.microsoft ops: any runtime that reads the fp32 file reads this one
      expect(count(s.ops, 'MatMulInteger'), g).toBeGreaterThan(0);
      expect(count(s.ops, 'DynamicQuantizeLinear'), g).toBeGreaterThan(0);
      // what stays float: attention's products of two activations (q.k and weights.v), two per attention
      expect(count(s.ops, 'MatMul'), g).toBe(count(onnxSummary(fp32).ops, 'MatMul') - count(s.ops, 'MatMulInteger'));
      const types = new Map(s.initializers.map((i) => [i.name, i.type]));
      expect(types.get('enc0.self.q.w_quantized_axis1') ?? types.get('dec0.self.q.w_quantized_axis1'), g).toBe(3); // INT8
      // embedding lookups and the tied projection read one int8 table; no fp32 copy of it is left
      expect(types.get('embed_quantized_axis0'), g).toBe(3);
      expect(types.has('embed'), g).toBe(false);
    }
  });

  it("runs on onnxruntime-node's int8 kernels: its optimiser fuses the pattern into MatMulIntegerToFloat / DynamicQuantizeMatMul", async () => {
    const ort = await import('onnxruntime-node');
    // the merged decoder's If branches too, and the tied projection, whose int8 table's transpose
    // onnxruntime folds at load (a fused node needs a constant B)
    for (const g of GRAPHS) {
      const file = join(dir, 'model', 'onnx', `${g}_quantized.onnx`);
      const optimized = join(dir, `${g}.optimized.onnx`);
      await ort.InferenceSession.create(file, {
        optimizedModelFilePath: optimized,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
      const ops = onnxSummary(optimized).ops;
      expect(count(ops, 'MatMulIntegerToFloat') + count(ops, 'DynamicQuantizeMatMul'), g).toBe(
        count(onnxSummary(file).ops, 'MatMulInteger'),
      );
      expect(count(ops, 'MatMulInteger'), g).toBe(0);
    }
  });

  it('stays close to fp32: teacher-forced logits within 5% of their RMS on average, greedy outputs 90% identical; per-channel closer than per-tensor', async () => {
    const fp32 = await outputs(join(dir, 'model'));
    const q8 = await outputs(join(dir, 'model'), 'q8'); // the folder holds both precisions
    expect(fp32.m.modelDir.dtype).toBe('fp32');
    expect(q8.m.modelDir.dtype).toBe('q8');
    const perTensor = await outputs(join(dir, 'per-tensor'));
    const err = meanAbsDiff(q8.logits, fp32.logits);
    expect(err).toBeGreaterThan(0); // it did quantize
    expect(err / rms(fp32.logits)).toBeLessThan(0.05);
    expect(q8.greedy.filter((g, i) => g === fp32.greedy[i]).length / fp32.greedy.length).toBeGreaterThanOrEqual(0.9);
    // measured here: mean logit error 0.0138 per-channel, 0.0155 per-tensor (logit RMS 1.01)
    expect(err).toBeLessThan(meanAbsDiff(perTensor.logits, fp32.logits));
  });

  it("loads in transformers.js with dtype 'q8', whose greedy generate() equals kd's on the same int8 files", async () => {
    const { AutoModelForSeq2SeqLM, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = `${dir}/`;
    const tjs = await AutoModelForSeq2SeqLM.from_pretrained('model', { dtype: 'q8' });
    const ours = await OnnxSeq2Seq.load(join(dir, 'model'), { threads: 1, dtype: 'q8' });
    for (const ids of sources().slice(0, 4)) {
      const mine = await beamSearch(ours, [ids], { numBeams: 1, maxLength: 14, badWordsIds: [[0]] });
      expect(await transformersJsGreedy(tjs, ids, 14)).toEqual([ours.decoderStartId, ...mine[0][0].tokens]);
    }
  });

  it('kd translate --dtype q8 translates with the quantized files, --dtype fp32 (and auto) with the fp32 ones', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, `${lines.slice(340, 346).join('\n')}\n`);
    const run = async (dtype: string) => {
      const r = await runKd([
        'translate',
        '--model',
        join(dir, 'model'),
        '-i',
        input,
        '-o',
        join(dir, `out.${dtype}.txt`),
        '--num-beams',
        '2',
        '--max-length',
        '14',
        '--threads',
        '1',
        '--dtype',
        dtype,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`(${dtype === 'auto' ? 'fp32' : dtype}, `);
      return readFileSync(join(dir, `out.${dtype}.txt`), 'utf8');
    };
    expect(await run('auto')).toBe(await run('fp32'));
    const q8 = await run('q8');
    expect(q8.split('\n')).toHaveLength(7);
    const only = await runKd([
      'translate',
      '--model',
      join(dir, 'per-tensor'),
      '-i',
      input,
      '-o',
      join(dir, 'o.txt'),
      '--dtype',
      'fp32',
    ]);
    expect(only.code).toBe(1);
    expect(only.stderr).toContain(join(dir, 'per-tensor', 'onnx', 'encoder_model.onnx')); // the paths looked for
    expect(only.stderr).toContain(join(dir, 'per-tensor', 'encoder_model.onnx'));
  });
});

describe('kd export --quantize int8 (classifier)', () => {
  const LABELS = TINY_LABELS;
  const CONFIG = TINY_CLASSIFIER;
  const texts = lines.slice(400, 460);

  it("writes onnx/model_quantized.onnx, which kd label --dtype q8 and transformers.js (dtype 'q8') load: probabilities within 0.02, labels 90% the same", async () => {
    const ctok = Tokenizer.train(lines.slice(0, 300), { vocabSize: 300 });
    const clf = TextClassifier.init(CONFIG, ctok, 7);
    const out = join(dir, 'classifier');
    exportClassifier({ config: clf.config, tensors: tensorsOf(clf.params), tokenizer: ctok }, LABELS, out, {
      quantize: 'int8',
    });
    expect(existsSync(join(out, 'onnx', 'model.onnx')) && existsSync(join(out, 'onnx', 'model_quantized.onnx'))).toBe(
      true,
    );
    const fp32 = await (await loadClassifier(out, LABELS)).logitsFor(texts, 16);
    writeFileSync(join(dir, 'texts.txt'), `${texts.join('\n')}\n`);
    // batch 1: activations are quantized with one scale per tensor, so a padded batch's outputs
    // differ slightly from one text's (transformers.js' pipeline runs texts one by one)
    const r = await runKd([
      'label',
      '--model',
      out,
      '-i',
      join(dir, 'texts.txt'),
      '-o',
      join(dir, 'labels.jsonl'),
      '--dtype',
      'q8',
      '--threads',
      '1',
      '--batch-size',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(q8)');
    const rows = readFileSync(join(dir, 'labels.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { logits: number[]; label: string });
    const argmax = (xs: ArrayLike<number>) => Array.from(xs).indexOf(Math.max(...Array.from(xs)));
    const same = rows.filter((row, i) => row.label === LABELS[argmax(fp32.slice(i * 3, i * 3 + 3))]).length;
    expect(rows.some((row, i) => row.logits.some((l, k) => l !== fp32[i * 3 + k]))).toBe(true); // it did quantize
    expect(same / texts.length).toBeGreaterThanOrEqual(0.9);

    const { pipeline, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = `${dir}/`;
    const classify = await pipeline('text-classification', 'classifier', { dtype: 'q8' });
    for (let i = 0; i < 6; i++) {
      const got = (await classify(texts[i], { top_k: null })) as Array<{ label: string; score: number }>;
      const logits = rows[i].logits;
      const z = logits.map((l) => Math.exp(l - Math.max(...logits)));
      for (const o of got)
        expect(Math.abs(o.score - z[LABELS.indexOf(o.label)] / z.reduce((a, b) => a + b, 0)), `text ${i}`).toBeLessThan(
          1e-5,
        ); // the same int8 file
      const f = Array.from(fp32.slice(i * 3, i * 3 + 3));
      const fz = f.map((l) => Math.exp(l - Math.max(...f)));
      for (const o of got)
        expect(
          Math.abs(o.score - fz[LABELS.indexOf(o.label)] / fz.reduce((a, b) => a + b, 0)),
          `text ${i}`,
        ).toBeLessThan(0.02);
    }
  });
});
