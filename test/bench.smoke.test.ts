// kd bench --smoke: the benchmark command runs end to end and writes its rows and tables (no timing is asserted).
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { REFERENCE, SHAPES, trainingFlops } from '../src/bench/engineBench.js';
import { peerArgs } from '../src/bench/peer.js';
import { runKd, tempFiles } from './helpers/runKd.js';

const SHAPE_NAMES = ['reference', 'student', 'demo'];
const MEASURES: Array<[string, number]> = [
  ['training target tokens/s', 1.0],
  ['greedy sentences/s vs peer with KV cache', 1.5],
  ['beam-5 sentences/s vs peer greedy with KV cache', 0.75],
];

interface Row {
  measure: string;
  shape: string;
  kd: number;
  peer: number | null;
  ratio: number | null;
  target: number;
}

function readBench(out: string) {
  const json = JSON.parse(readFileSync(join(out, 'engine-smoke.json'), 'utf8'));
  const md = readFileSync(join(out, 'engine-smoke.md'), 'utf8');
  return { json, md, rows: json.rows as Row[] };
}

describe('kd bench', () => {
  it('--smoke measures training on the graph engine and decoding for the three shapes, one row per measure and shape', async () => {
    const out = tempFiles({});
    const r = await runKd(['bench', '--smoke', '--rounds', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const { json, md, rows } = readBench(out);
    expect(rows.map((x) => [x.shape, x.measure, x.target])).toEqual(
      SHAPE_NAMES.flatMap((s) => MEASURES.map(([m, t]) => [s, m, t])),
    );
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['kd', 'measure', 'peer', 'ratio', 'shape', 'target']);
      expect(row.kd).toBeGreaterThan(0);
      expect(row.peer).toBeNull(); // no --peer
      expect(row.ratio).toBeNull();
    }
    for (const s of SHAPE_NAMES) {
      expect(json.ours[s]).toHaveLength(1);
      expect(json.ours[s][0].engine).toContain('onnxruntime');
      expect(json.training[s].gflopPerStep).toBeGreaterThan(0);
      expect(json.training[s].kd.gflopPerS).toBeGreaterThan(0);
      expect(json.training[s].kd.peakRssMb).toBeGreaterThan(0);
      expect(json.training[s].peer).toBeNull();
    }
    expect(json.peers).toBeNull();
    // the int8 export's decoding, beside the rows (whose targets are float32 against float32)
    for (const s of SHAPE_NAMES) {
      const q = json.int8[s];
      expect(q.greedy).toBeGreaterThan(0);
      expect(q.beam).toBeGreaterThan(0);
      expect(q.greedyRatio).toBeNull();
      expect(q.beamOverFp32).toBeCloseTo(q.beam / json.ours[s][0].beamSentencesPerS, 9);
    }
    expect(
      md.split('\n').filter((l) => /^\| (reference|student|demo) \| [\d.]+ \| - \| [\d.]+ \| - \| [\d.]+ \|$/.test(l)),
    ).toHaveLength(3);
    expect(md).toContain('| shape | measure | kd | PyTorch peer | kd / peer | target | met |');
    expect(
      md.split('\n').filter((l) => /^\| (reference|student|demo) \| (training|greedy|beam-5) /.test(l)),
    ).toHaveLength(9);
    expect(r.stdout).toContain('| reference | training target tokens/s |');
  });

  it('--engine tfjs (2 data-parallel replicas: the bundled worker) alternates rounds with a peer and reports ratios', async () => {
    // a stand-in for Python and the peer: prints the peer's JSON line whatever it is given
    const out = tempFiles({
      'fake-python':
        '#!/bin/sh\necho \'{"peer": "fake", "threads": 2, "params": 1, "train_tgt_tokens_per_s": 100, "train_step_s": 0.96, ' +
        '"greedy_sentences_per_s": 5, "greedy_cached_sentences_per_s": 10}\'\n',
    });
    chmodSync(join(out, 'fake-python'), 0o755);
    const r = await runKd([
      'bench',
      '--smoke',
      '--rounds',
      '2',
      '--shapes',
      'student',
      '--engine',
      'tfjs',
      '--replicas',
      '2',
      '--peer',
      '--python',
      join(out, 'fake-python'),
      '--peer-script',
      join(out, 'fake-python'),
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { json, md, rows } = readBench(out);
    expect(json.ours.student).toHaveLength(2);
    expect(json.peers.student).toHaveLength(2);
    expect(json.ours.student[0].trainReplicas).toBe(2);
    expect(json.ours.student[0].engine).toContain('tfjs');
    expect(rows.map((x) => x.shape)).toEqual(['student', 'student', 'student']);
    expect(rows.map((x) => x.peer)).toEqual([100, 10, 10]);
    for (const row of rows) expect(row.ratio).toBeCloseTo(row.kd / row.peer!, 9);
    expect(json.int8.student.peerGreedy).toBe(10);
    expect(json.int8.student.beamRatio).toBeCloseTo(json.int8.student.beam / 10, 9);
    expect(json.training.student.peer.gflopPerS).toBeCloseTo((json.training.student.gflopPerStep * 100) / (4 * 6), 9);
    expect(existsSync(join(out, 'engine-smoke.md'))).toBe(true);
    expect(md).toMatch(/\| student \| training target tokens\/s \| [\d.]+ \| 100 \| [\d.]+ \| 1\.00 \| (yes|no) \|/);
  });

  it('asks the peer for the same model and shape', () => {
    const args = peerArgs(REFERENCE, 2);
    const get = (flag: string) => args[args.indexOf(flag) + 1];
    expect([
      get('--vocab'),
      get('--d-model'),
      get('--ff'),
      get('--heads'),
      get('--enc-layers'),
      get('--dec-layers'),
    ]).toEqual(['8000', '256', '1024', '4', '3', '3']);
    expect([get('--batch'), get('--src-len'), get('--tgt-len'), get('--decode-sentences'), get('--threads')]).toEqual([
      '32',
      '24',
      '24',
      '64',
      '2',
    ]);
    const model = (a: string[]) =>
      ['--vocab', '--d-model', '--ff', '--heads', '--enc-layers', '--dec-layers'].map((f) => a[a.indexOf(f) + 1]);
    expect(model(peerArgs(SHAPES.student, 2))).toEqual(['8000', '128', '512', '4', '2', '2']);
    expect(model(peerArgs(SHAPES.demo, 2))).toEqual(['2000', '64', '256', '4', '2', '2']);
  });

  it('counts a training step as 3 x 2 x the multiply-adds of every matrix product of the forward pass', () => {
    for (const s of Object.values(SHAPES)) {
      const { dModel: d, ffDim: f, vocabSize: V, heads: h, encLayers, decLayers } = s.model;
      const [B, S, T, dh] = [s.batch, s.srcLen, s.tgtLen, d / h];
      // [rows, inner, columns] of each product
      const mm = (m: number, k: number, n: number) => m * k * n;
      const attention = (q: number, kv: number) => B * h * (mm(q, dh, kv) + mm(q, kv, dh));
      const enc = 4 * mm(B * S, d, d) + attention(S, S) + mm(B * S, d, f) + mm(B * S, f, d);
      const dec =
        4 * mm(B * T, d, d) +
        attention(T, T) +
        2 * mm(B * T, d, d) +
        2 * mm(B * S, d, d) +
        attention(T, S) +
        mm(B * T, d, f) +
        mm(B * T, f, d);
      expect(trainingFlops(s)).toBe(6 * (encLayers * enc + decLayers * dec + mm(B * T, d, V)));
    }
    expect(trainingFlops(REFERENCE) / 1e9).toBeCloseTo(35.31, 2);
  });
});
