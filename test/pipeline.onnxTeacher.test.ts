// A translation pipeline with a pretrained ONNX teacher (pipelines/tiny-onnx-teacher.yaml, the
// Hugging Face Marian fixture): no teacher is trained; its Seq-KD lines and n-best scores equal an
// independent beam search on the export in its own ids; its soft targets equal its step-by-step
// decoder log-probabilities (ids exactly); the students learn in its vocabulary, and export back
// into its ids with its tokenizer.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { SoftTargetReader } from '../src/data/softTargets.js';
import { beamSearch } from '../src/decode/beamSearch.js';
import { loadHfTokenizer, type TextTokenizer } from '../src/onnx/hfTokenizer.js';
import { OnnxSeq2Seq } from '../src/onnx/seq2seq.js';
import { loadPipeline } from '../src/pipeline/config.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { TeacherVocabulary } from '../src/runtime/teacherVocabulary.js';
import { loadTranslationModel } from '../src/runtime/translationModel.js';
import { BOS, EOS } from '../src/tokenize/tokenizer.js';
import { runKd } from './helpers/runKd.js';
import { stageDir } from './helpers/stageDir.js';

const FIXTURE = 'test/fixtures/tiny-marian';
const lines = (f: string) => readFileSync(f, 'utf8').split('\n').slice(0, -1);

describe('kd run pipelines/tiny-onnx-teacher.yaml', () => {
  const work = mkdtempSync(join(tmpdir(), 'kd-onnx-teacher-'));
  const config = loadPipeline(new URL('../pipelines/tiny-onnx-teacher.yaml', import.meta.url).pathname);
  const dirOf = (stage: string) => stageDir(work, stage);
  const logs: string[] = [];
  let rows: Array<{ system: string; params: number | null }>;
  let teacher: OnnxSeq2Seq;
  let hf: TextTokenizer;
  let vocab: TeacherVocabulary;

  beforeAll(async () => {
    rows = (
      await runPipeline(
        { task: 'translate', config },
        { workDir: work, reportDir: join(work, 'report'), log: (m) => logs.push(m) },
      )
    ).rows;
    teacher = await OnnxSeq2Seq.load(FIXTURE);
    hf = await loadHfTokenizer(FIXTURE);
    vocab = await TeacherVocabulary.load(FIXTURE);
  });

  it('trains no teacher and reports every system (the teacher without a parameter count)', () => {
    expect(readdirSync(work).filter((d) => d.startsWith('teacher-'))).toEqual([]);
    expect(logs).toContain(`[teacher] pretrained: ${FIXTURE} (no teacher stage)`);
    // each student also as its int8 export (eval.int8, default), in the row after its own
    expect(rows.map((r) => r.system)).toEqual([
      'Teacher',
      ...['Student baseline', 'Word-KD', 'Seq-KD', 'Seq-Inter', 'Seq-KD + Word-KD'].flatMap((s) => [s, `${s} (int8)`]),
    ]);
    expect(rows[0].params).toBeNull();
  });

  it("writes the teacher's own beam search: Seq-KD lines and n-best scores", async () => {
    const gen = dirOf('generate');
    const src = lines(join(dirOf('prepare'), 'data', 'train.src'));
    const refs = lines(join(dirOf('prepare'), 'data', 'train.tgt'));
    const g = teacher.generation;
    // in the teacher's ids: its tokenizer's ids (</s> included), its generation_config
    // one sentence at a time, as the pipeline's generate stage is configured: the random model's
    // near-ties make any other padding a different computation
    const hyps = [];
    for (const s of src)
      hyps.push(
        (
          await beamSearch(teacher, [hf.encode(s)], {
            numBeams: 3,
            nbest: 3,
            maxLength: 40,
            forcedEosId: g.forcedEosId,
            badWordsIds: g.badWordsIds,
          })
        )[0],
      );
    const seqkd = lines(join(gen, 'seqkd.tgt'));
    const nbest = lines(join(gen, 'nbest.jsonl')).map(
      (l) => JSON.parse(l).nbest as Array<{ ids: number[]; score: number }>,
    );
    expect(seqkd).toHaveLength(src.length);
    hyps.forEach((list, i) => {
      const text = hf.decode(list[0].tokens);
      expect(seqkd[i], `line ${i}`).toBe(text || refs[i]); // an empty top beam is replaced by the reference
      expect(
        nbest[i].map((h) => h.ids),
        `line ${i}`,
      ).toEqual(list.map((h) => h.tokens.map((t) => vocab.toKd(t))));
      list.forEach((h, j) => expect(Math.abs(nbest[i][j].score - h.score), `line ${i} beam ${j}`).toBeLessThan(1e-5));
    });
  });

  it("writes soft targets equal to the teacher's step-by-step log-probabilities (ids, T = 2, T = 1)", async () => {
    const reader = new SoftTargetReader(join(dirOf('generate'), 'soft-gold'));
    const src = lines(join(dirOf('prepare'), 'data', 'train.src'));
    const tgt = lines(join(dirOf('prepare'), 'data', 'train.tgt'));
    const k = reader.manifest.topK;
    expect(reader.manifest).toMatchObject({ topK: 4, temperature: 2, vocabHash: vocab.hash });
    for (const i of [0, 5]) {
      const forced = [teacher.decoderStartId, ...hf.encodePlain(tgt[i])];
      const soft = reader.get(i);
      expect(soft.length).toBe(forced.length); // each target token, then eos
      const state = await teacher.start([hf.encode(src[i])]);
      for (let p = 0; p < forced.length; p++) {
        const lp = await teacher.logProbs(state, Int32Array.of(0), [forced.slice(0, p + 1)]);
        const top = Array.from(lp.keys())
          .sort((a, b) => lp[b] - lp[a] || a - b)
          .slice(0, k);
        expect(Array.from(soft.ids.subarray(p * k, p * k + k)), `sentence ${i} position ${p}`).toEqual(
          top.map((t) => vocab.toKd(t)),
        );
        const zT = top.map((t) => Math.exp((lp[t] - lp[top[0]]) / 2));
        const sumT = zT.reduce((a, b) => a + b, 0);
        // within 1e-4: one forced run over the whole target against growing prefixes (other matrix shapes, float32)
        top.forEach((t, j) => {
          expect(Math.abs(soft.logProbs1[p * k + j] - lp[t])).toBeLessThan(1e-4);
          expect(Math.abs(soft.probs[p * k + j] - zT[j] / sumT)).toBeLessThan(1e-5);
        });
      }
      teacher.finish(state);
    }
    reader.close();
  });

  it("exports a student in the teacher's ids with the teacher's tokenizer (kd export): its logits are the student's, reordered", async () => {
    const student = dirOf('student-baseline');
    const out = join(work, 'export');
    const r = await runKd(['export', '--model', student, '-o', out, '--quantize', 'int8']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      vocab_size: 600,
      eos_token_id: 0,
      pad_token_id: 2,
      decoder_start_token_id: 2,
    });
    const src = lines(join(dirOf('prepare'), 'data', 'test.src'))
      .filter((l) => l.trim())
      .slice(0, 4);
    const tgt = lines(join(dirOf('prepare'), 'data', 'test.tgt'))
      .filter((l) => l.trim())
      .slice(0, 4);
    // its tokenizer: the teacher's pieces, closed by </s> as the student read its sources
    const exportTok = await loadHfTokenizer(out);
    src.forEach((t) => expect(exportTok.encode(t)).toEqual([...vocab.encode(t).map((k) => vocab.toTeacher(k)), 0]));
    // teacher-forced logits of the export (teacher ids) against the student's own (pipeline ids)
    const mine = await loadTranslationModel(student, 'onnx', () => {});
    const studentOnnx = (await mine.decoder()).onnx!;
    const kdSrc = src.map((t) => vocab.encode(t));
    const kdTgt = tgt.map((t) => vocab.encode(t).slice(0, 6));
    const want = await studentOnnx.forcedLogits(
      kdSrc.map((s) => [...s, EOS]),
      kdTgt.map((t) => [BOS, ...t]),
    );
    const exported = await OnnxSeq2Seq.load(out);
    const got = await exported.forcedLogits(
      kdSrc.map((s) => [...s.map((k) => vocab.toTeacher(k)), 0]),
      kdTgt.map((t) => [2, ...t.map((k) => vocab.toTeacher(k))]),
    );
    mine.dispose();
    expect(got.steps).toBe(want.steps);
    for (let row = 0; row < src.length * got.steps; row++) {
      for (let t = 0; t < 600; t++)
        expect(Math.abs(got.logits[row * 600 + t] - want.logits[row * 603 + vocab.toKd(t)])).toBeLessThan(1e-4);
    }
    // it translates through kd translate, in both precisions
    writeFileSync(join(work, 'export-in.txt'), `${src.join('\n')}\n`);
    for (const dtype of ['fp32', 'q8']) {
      const t = await runKd([
        'translate',
        '--model',
        out,
        '-i',
        join(work, 'export-in.txt'),
        '-o',
        join(work, `export-out.${dtype}.txt`),
        '--dtype',
        dtype,
        '--max-length',
        '20',
      ]);
      expect(t.code, t.stderr).toBe(0);
      expect(lines(join(work, `export-out.${dtype}.txt`))).toHaveLength(src.length);
    }
  });

  it("trains students in the teacher's vocabulary (its 600 ids renumbered, + 3)", () => {
    for (const d of readdirSync(work).filter((x) => x.startsWith('student-'))) {
      expect(JSON.parse(readFileSync(join(work, d, 'result.json'), 'utf8')).modelConfig.vocabSize).toBe(603);
    }
  });
});

describe('kd teacher PIPELINE with a pretrained teacher', () => {
  it('stops after the teacher group (prepare only: the pretrained folder stands in for the teacher stage)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kd-onnx-until-'));
    const config = loadPipeline(new URL('../pipelines/tiny-onnx-teacher.yaml', import.meta.url).pathname);
    await expect(
      runPipeline(
        { task: 'translate', config },
        { workDir: work, reportDir: join(work, 'r'), log: () => {}, control: { until: 'teacher' } },
      ),
    ).rejects.toThrow(/teacher: done/);
    expect(
      readdirSync(work)
        .filter((d) => d.includes('-'))
        .map((d) => d.split('-')[0]),
    ).toEqual(['prepare']);
  });
});
