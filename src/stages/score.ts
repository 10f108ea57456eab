// kd score: sacreBLEU-compatible corpus and sentence scores of a hypothesis file.
// Promise: every reference file has as many lines as the hypotheses (else an error naming
// both files and counts); each requested metric is computed once by src/metrics.
import { readAllLines } from '../data/textLines.js';
import { Bleu, type BleuOptions, Chrf, type ChrfOptions, Ter, type TerOptions } from '../metrics/index.js';
import type { MetricScore } from '../metrics/metricScore.js';
import { InputError } from '../util/errors.js';

export const METRIC_NAMES = ['bleu', 'chrf', 'ter'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface ScoreConfig {
  refs: string[]; // reference files, one stream each
  input: string; // hypothesis file
  metrics: MetricName[];
  bleu?: BleuOptions;
  chrf?: ChrfOptions;
  ter?: TerOptions;
  sentenceLevel?: boolean;
}

/** One metric's result, in the JSON shape `kd score --format json` prints. */
export type { MetricScore };

type Scorer = (hyps: string[], refs: string[][]) => MetricScore;

function scorers(config: ScoreConfig, sentence: boolean): Scorer[] {
  return config.metrics.map((m): Scorer => {
    switch (m) {
      case 'bleu': {
        const bleu = new Bleu({ ...(sentence ? { effectiveOrder: true } : {}), ...config.bleu });
        return (hyps, refs) => {
          const r = bleu.corpus(hyps, refs);
          return {
            name: 'BLEU',
            score: r.score,
            signature: r.signature,
            counts: r.counts,
            totals: r.totals,
            precisions: r.precisions,
            bp: r.bp,
            sys_len: r.sysLen,
            ref_len: r.refLen,
          };
        };
      }
      case 'chrf': {
        const chrf = new Chrf(config.chrf);
        return (hyps, refs) => ({ ...chrf.corpus(hyps, refs) });
      }
      case 'ter': {
        const ter = new Ter(config.ter);
        return (hyps, refs) => {
          const r = ter.corpus(hyps, refs);
          return {
            name: r.name,
            score: r.score,
            signature: r.signature,
            num_edits: r.numEdits,
            ref_length: r.refLength,
          };
        };
      }
      default:
        throw new Error(`unknown metric '${m}' (known: ${METRIC_NAMES.join(', ')})`);
    }
  });
}

export async function loadScoringData(config: ScoreConfig): Promise<{ hyps: string[]; refs: string[][] }> {
  if (config.refs.length === 0) throw new Error('kd score: give at least one reference file');
  const hyps = await readAllLines(config.input);
  const refs: string[][] = [];
  for (const file of config.refs) {
    const lines = await readAllLines(file);
    if (lines.length !== hyps.length) {
      throw new InputError(
        file,
        null,
        `has ${lines.length} lines but the hypothesis file ${config.input} has ${hyps.length}`,
      );
    }
    refs.push(lines);
  }
  return { hyps, refs };
}

/** Corpus scores, one per metric, in the order asked for. */
export function scoreCorpus(config: ScoreConfig, hyps: string[], refs: string[][]): MetricScore[] {
  return scorers(config, false).map((score) => score(hyps, refs));
}

/** Sentence scores: for each line, one result per metric (BLEU with effective order). */
export function* scoreSentences(config: ScoreConfig, hyps: string[], refs: string[][]): Generator<MetricScore[]> {
  const perMetric = scorers(config, true);
  for (let i = 0; i < hyps.length; i++) {
    const lineRefs = refs.map((stream) => [stream[i]]);
    yield perMetric.map((score) => score([hyps[i]], lineRefs));
  }
}
