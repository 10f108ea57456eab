// Scoring speed: corpus BLEU and chrF over N sentence pairs of real text on one core
// (the metrics issue asks for 100,000 pairs in under 10 s). A benchmark, never a test.
import { readFileSync } from 'node:fs';

import { Bleu, Chrf } from '../metrics/index.js';

export interface MetricsBenchResult {
  pairs: number;
  bleuSeconds: number;
  chrfSeconds: number;
  totalSeconds: number;
  bleu: number;
  chrf: number;
  node: string;
}

/** Real sentences (Debian descriptions in the sacreBLEU fixture), perturbed deterministically. */
export function benchPairs(n: number, fixturePath: string): { hyps: string[]; refs: string[] } {
  const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { cases: Array<{ refs: string[][] }> };
  const pool = [...new Set(fixture.cases.flatMap((c) => c.refs[0]).filter((s) => s.length > 0))];
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const hyps: string[] = [];
  const refs: string[] = [];
  for (let i = 0; i < n; i++) {
    const ref = pool[i % pool.length];
    const words = ref.split(' ');
    const edits = Math.floor(rand() * 4);
    for (let e = 0; e < edits && words.length > 1; e++) {
      const k = Math.floor(rand() * words.length);
      if (rand() < 0.5) words.splice(k, 1);
      else words[k] = pool[Math.floor(rand() * pool.length)].split(' ')[0];
    }
    hyps.push(words.join(' '));
    refs.push(ref);
  }
  return { hyps, refs };
}

export function runMetricsBench(pairs: number, fixturePath: string): MetricsBenchResult {
  const { hyps, refs } = benchPairs(pairs, fixturePath);
  const t0 = performance.now();
  const bleu = new Bleu().corpus(hyps, [refs]).score;
  const t1 = performance.now();
  const chrf = new Chrf().corpus(hyps, [refs]).score;
  const t2 = performance.now();
  return {
    pairs,
    bleuSeconds: (t1 - t0) / 1000,
    chrfSeconds: (t2 - t1) / 1000,
    totalSeconds: (t2 - t0) / 1000,
    bleu,
    chrf,
    node: process.version,
  };
}
