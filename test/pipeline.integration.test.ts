// The whole pipeline on the tiny corpus: every stage, every student, the report; then a rerun
// that must skip everything, and an interrupted stage that must be redone alone.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { loadPipeline } from '../src/pipeline/config.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { runKd } from './helpers/runKd.js';
import { stageDir } from './helpers/stageDir.js';

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').slice(0, -1);

describe('kd run pipelines/tiny.yaml', () => {
  const work = mkdtempSync(join(tmpdir(), 'kd-pipe-'));
  const config = loadPipeline(new URL('../pipelines/tiny.yaml', import.meta.url).pathname);
  const dirOf = (stage: string) => stageDir(work, stage);

  it('runs every stage and writes a report with one row per system', async () => {
    const logs: string[] = [];
    const r = await runPipeline(
      { task: 'translate', config },
      { workDir: work, reportDir: join(work, 'report'), log: (m) => logs.push(m) },
    );
    // eval.int8 (default): each student's int8 export in the row after its own
    const students = ['Student baseline', 'Word-KD', 'Seq-KD', 'Seq-Inter', 'Seq-KD + Word-KD'];
    expect(r.rows.map((row) => row.system)).toEqual(['Teacher', ...students.flatMap((s) => [s, `${s} (int8)`])]);
    for (const row of r.rows) {
      expect(row.bleuBeam).toBeGreaterThanOrEqual(0);
      expect(row.params).toBeGreaterThan(0);
      expect(row.sentencesPerSecondGreedy).toBeGreaterThan(0);
      expect(row.sizeBytes).toBeGreaterThan(0);
    }
    r.rows.forEach((row, i) => {
      if (row.dtype !== 'int8') return;
      expect(r.rows[i - 1].dtype).toBe('fp32');
      expect(row.sizeBytes!, row.system).toBeLessThan(0.5 * r.rows[i - 1].sizeBytes!);
      // stated tolerance on these tiny trained models: at most 2 of the 8 test sentences translated
      // differently from fp32 (measured: 0 or 1)
      expect(row.agreementWithFp32!, row.system).toBeGreaterThanOrEqual(0.75);
    });
    expect(r.markdown).toContain('| Seq-KD + Word-KD |');
    expect(r.markdown).toContain('## int8 against fp32');
    expect(JSON.parse(readFileSync(r.reportJson, 'utf8')).rows).toHaveLength(11);
  });

  it('writes generation outputs aligned with the training source', () => {
    const prep = dirOf('prepare');
    const gen = dirOf('generate');
    const n = lines(join(prep, 'data', 'train.src')).length;
    expect(n).toBe(64);
    expect(lines(join(gen, 'seqkd.tgt'))).toHaveLength(n);
    expect(lines(join(gen, 'seqinter.tgt'))).toHaveLength(n);
    const nbest = lines(join(gen, 'nbest.jsonl')).map(
      (l) => JSON.parse(l).nbest as Array<{ text: string; score: number }>,
    );
    expect(nbest).toHaveLength(n);
    for (const list of nbest) {
      expect(list.length).toBeLessThanOrEqual(2);
      for (let i = 1; i < list.length; i++) expect(list[i - 1].score).toBeGreaterThanOrEqual(list[i].score);
    }
    const tok = Tokenizer.load(join(prep, 'tokenizer.json'));
    const gold = lines(join(prep, 'data', 'train.tgt'));
    const manifest = JSON.parse(readFileSync(join(gen, 'soft-gold', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ sentences: n, topK: 4, temperature: 2, vocabHash: tok.hash });
    expect(manifest.positions).toBe(gold.reduce((s, g) => s + tok.encode(g).length + 1, 0));
  });

  it('kd int8-report puts trained students in fp32 and int8 side by side, as the eval stage measures them', async () => {
    const students = readdirSync(work)
      .filter((d) => d.startsWith('student-'))
      .sort()
      .map((d) => join(work, d));
    const out = join(work, 'int8-report');
    const r = await runKd([
      'int8-report',
      '--prepare',
      dirOf('prepare'),
      '--teacher',
      dirOf('teacher'),
      '--model',
      ...students.slice(0, 2),
      '--beam',
      '2',
      '--batch-size',
      '8',
      '--max-length',
      '12',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const names = students.slice(0, 2).map((d) =>
      d
        .split('/')
        .pop()!
        .replace(/^student-/, '')
        .replace(/-[0-9a-f]{12}$/, ''),
    );
    const { rows } = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      rows: Array<{ system: string; dtype: string; bleuVsTeacher: number | null }>;
    };
    expect(rows.map((row) => `${row.system}:${row.dtype}`)).toEqual([
      'Teacher:fp32',
      ...names.flatMap((n) => [`${n}:fp32`, `${n} (int8):int8`]),
    ]);
    expect(rows[1].bleuVsTeacher).not.toBeNull();
    expect(r.stdout).toContain('## int8 against fp32');
  });

  it('keeps each trained model in one folder layout that kd export reads on its own', async () => {
    // config.json names the task; the vocabulary sits beside the checkpoints (src/models/modelFolder.ts)
    const alone = join(mkdtempSync(join(tmpdir(), 'kd-alone-')), 'student');
    cpSync(dirOf('student-seqkd'), alone, { recursive: true });
    expect(JSON.parse(readFileSync(join(alone, 'config.json'), 'utf8')).task).toBe('translate');
    expect(readFileSync(join(alone, 'tokenizer.json'), 'utf8')).toBe(
      readFileSync(join(dirOf('prepare'), 'tokenizer.json'), 'utf8'),
    );
    const r = await runKd(['export', '--model', alone, '-o', join(alone, '..', 'exported')]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(alone, '..', 'exported', 'tokenizer.json'))).toBe(true);
  });

  it('skips finished stages on a rerun and redoes only an interrupted one', async () => {
    const logs: string[] = [];
    await runPipeline(
      { task: 'translate', config },
      { workDir: work, reportDir: join(work, 'report'), log: (m) => logs.push(m) },
    );
    const ran = logs.filter((l) => /\] (running|resuming)/.test(l));
    expect(ran).toEqual([]);
    // an eval stage killed before it finished has no done.json: only it runs again
    const ev = dirOf('eval-seqkd');
    rmSync(join(ev, 'done.json'));
    const logs2: string[] = [];
    await runPipeline(
      { task: 'translate', config },
      { workDir: work, reportDir: join(work, 'report'), log: (m) => logs2.push(m) },
    );
    expect(logs2.filter((l) => /\] (running|resuming)/.test(l))).toEqual([`[eval-seqkd] resuming in ${ev}`]);
    expect(existsSync(join(ev, 'done.json'))).toBe(true);
  });

  it('kd peer scores a peer folder into the report; --keep-stages re-writes the report from the recorded code version', async () => {
    // a peer folder as seqkd_quality_peer.py writes it, with kd's own teacher and Seq-KD outputs as its hypotheses
    const peerDir = mkdtempSync(join(tmpdir(), 'kd-peer-'));
    const refs = lines(join(dirOf('prepare'), 'data', 'test.tgt'));
    writeFileSync(join(peerDir, 'test.ref'), refs.map((r) => `${r}\n`).join(''));
    const systems = [
      { tag: 'teacher 16x1+1', from: 'eval-teacher' },
      { tag: 'student Seq-KD 16x1+1', from: 'eval-seqkd' },
    ];
    for (const s of systems) {
      const slug = s.tag.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      cpSync(join(dirOf(s.from), 'hyp.greedy.txt'), join(peerDir, `hyp-${slug}.greedy.txt`));
      cpSync(join(dirOf(s.from), 'hyp.beam.txt'), join(peerDir, `hyp-${slug}.beam4-first300.txt`));
    }
    const results = systems.map((s) => ({ tag: s.tag, params: 1000, greedy_sent_per_s: 50, beam4_sent_per_s: 10 }));
    writeFileSync(join(peerDir, 'results.json'), JSON.stringify(results));
    const reportDir = join(work, 'report');
    const kdPeer = () =>
      runKd(['peer', peerDir, 'pipelines/tiny.yaml', '--made-with', 'a test', '--report-dir', reportDir]);
    const cli = await kdPeer();
    expect(cli.code, cli.stderr).toBe(0);
    const peer = JSON.parse(readFileSync(join(reportDir, 'peer.json'), 'utf8'));
    // kd's scorer on the same files gives the eval stage's own figures
    const evalResult = (stage: string) => JSON.parse(readFileSync(join(dirOf(stage), 'done.json'), 'utf8'));
    expect(peer.rows[0]).toMatchObject({ system: 'PyTorch peer: teacher 16x1+1', peer: true, bleuVsTeacher: null });
    expect(peer.rows[0].bleuGreedy).toBeCloseTo(evalResult('eval-teacher').bleuGreedy, 10);
    expect(peer.rows[0].bleuBeam4First300).toBeCloseTo(evalResult('eval-teacher').bleuBeam, 10);
    expect(peer.rows[1].bleuGreedy).toBeCloseTo(evalResult('eval-seqkd').bleuGreedy, 10);

    // the report from the finished stages, under the code version the pipeline folder records
    const recorded = readFileSync(join(work, 'config.json'), 'utf8');
    const logs: string[] = [];
    const r = await runPipeline(
      { task: 'translate', config },
      { workDir: work, reportDir, log: (m) => logs.push(m), control: { keepStages: true } },
    );
    expect(logs.filter((l) => /\] (running|resuming)/.test(l))).toEqual([]);
    expect(r.rows.slice(-2).map((row) => row.system)).toEqual(systems.map((s) => `PyTorch peer: ${s.tag}`));
    expect(r.markdown).toContain('| PyTorch peer: student Seq-KD 16x1+1 |');
    expect(r.markdown).toContain('--keep-stages');
    expect(
      JSON.parse(readFileSync(r.reportJson, 'utf8')).rows.filter((row: { peer?: boolean }) => row.peer),
    ).toHaveLength(2);
    // a recorded version other than the one the stages were made with: nothing is finished under it, and nothing runs
    const other = JSON.stringify({ ...JSON.parse(recorded), codeVersion: 'feedface0000' });
    writeFileSync(join(work, 'config.json'), other);
    await expect(
      runPipeline(
        { task: 'translate', config },
        { workDir: work, reportDir, log: () => {}, control: { keepStages: true } },
      ),
    ).rejects.toThrow(/prepare is not finished under the code version recorded/);
    expect(readdirSync(work).filter((d) => d.startsWith('prepare-'))).toHaveLength(1);
    writeFileSync(join(work, 'config.json'), recorded);
    // the peer's test set must be the pipeline's, line for line
    writeFileSync(join(peerDir, 'test.ref'), ['another line', ...refs.slice(1)].map((x) => `${x}\n`).join(''));
    const bad = await kdPeer();
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${join(peerDir, 'test.ref')}:1: not the pipeline's test set`);
    rmSync(join(reportDir, 'peer.json'));
  });
});

describe('corpus.maxDistill', () => {
  it('trains the teacher on every pair, and decodes and distils the first N only', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kd-distill-'));
    const config = loadPipeline(new URL('../pipelines/tiny.yaml', import.meta.url).pathname);
    config.corpus.maxDistill = 20;
    config.students = ['baseline', 'seqkd+wordkd'];
    await runPipeline({ task: 'translate', config }, { workDir: work, reportDir: join(work, 'report'), log: () => {} });
    const dirOf = (stage: string) => stageDir(work, stage);
    const prep = dirOf('prepare');
    const train = lines(join(prep, 'data', 'train.src'));
    expect(train).toHaveLength(64);
    expect(lines(join(prep, 'data', 'distill.src'))).toEqual(train.slice(0, 20));
    expect(lines(join(dirOf('generate'), 'seqkd.tgt'))).toHaveLength(20);
    expect(JSON.parse(readFileSync(join(dirOf('generate'), 'soft-seqkd', 'manifest.json'), 'utf8')).sentences).toBe(20);
    const log = (stage: string) => readFileSync(join(dirOf(stage), 'result.json'), 'utf8');
    expect(log('teacher')).toBeTruthy();
    expect(JSON.parse(log('student-baseline')).tokens).toBeLessThan(JSON.parse(log('teacher')).tokens);
  });
});

describe('inputs by content', () => {
  it('an edited corpus line reruns prepare and everything after it; an untouched corpus reruns nothing', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kd-stale-'));
    const corpus = join(work, 'corpus');
    cpSync(new URL('../corpora/tiny', import.meta.url).pathname, corpus, { recursive: true });
    const config = loadPipeline(new URL('../pipelines/tiny.yaml', import.meta.url).pathname);
    Object.assign(config.corpus, {
      train: join(corpus, 'train'),
      dev: join(corpus, 'dev'),
      test: join(corpus, 'test'),
    });
    config.students = ['baseline'];
    const run = async () => {
      const logs: string[] = [];
      await runPipeline(
        { task: 'translate', config },
        { workDir: join(work, 'models'), reportDir: join(work, 'report'), log: (m) => logs.push(m) },
      );
      return logs.filter((l) => /\] (running|resuming)/.test(l)).map((l) => l.slice(1, l.indexOf(']')));
    };
    expect(await run()).toContain('prepare');
    expect(await run()).toEqual([]);
    const file = readdirSync(corpus).find((f) => f.startsWith('train.en'))!;
    const path = join(corpus, file);
    if (file.endsWith('.gz'))
      writeFileSync(
        path,
        gzipSync(
          gunzipSync(readFileSync(path))
            .toString()
            .replace(/^[^\n]*/, 'an edited line'),
        ),
      );
    else writeFileSync(path, readFileSync(path, 'utf8').replace(/^[^\n]*/, 'an edited line'));
    expect(await run()).toEqual([
      'prepare',
      'teacher',
      'generate',
      'student-baseline',
      'eval-teacher',
      'eval-baseline',
    ]);
  });
});
