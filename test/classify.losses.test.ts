// Classifier losses against values computed by hand, teacher-annealing weights, and the
// classification metrics (accuracy, macro-F1, agreement, ECE) on small hand-checked cases.
import { beforeAll, describe, expect, it } from 'vitest';

import { annealWeight, classifierLoss } from '../src/classify/losses.js';
import {
  accuracy,
  agreement,
  calibrationBins,
  eceFromBins,
  expectedCalibrationError,
  macroF1,
  predictions,
} from '../src/classify/metrics.js';
import { initBackend, tf } from '../src/engine/tf.js';

const logSoftmax = (z: number[]) => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
};
const softmax = (z: number[]) => logSoftmax(z).map(Math.exp);

const student = [
  [1, 2, 0.5],
  [0.2, -1, 3],
];
const teacher = [
  [2, 1, 0],
  [0, 0, 4],
];
const lossOf = (
  kind: 'ce' | 'kd' | 'logitmse' | 'annealed',
  gold: number[],
  progress = 0,
  alpha = 0.5,
  temperature = 2,
) =>
  classifierLoss(
    tf.tensor2d(student),
    { gold, teacherLogits: tf.tensor2d(teacher) },
    { kind, alpha, temperature },
    progress,
  ).dataSync()[0];

describe('classifier losses', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('ce is -log q(gold), averaged over the labelled examples only', () => {
    expect(lossOf('ce', [1, 2])).toBeCloseTo(-(logSoftmax(student[0])[1] + logSoftmax(student[1])[2]) / 2, 5);
    expect(lossOf('ce', [1, -1])).toBeCloseTo(-logSoftmax(student[0])[1], 5);
  });

  it('kd is a*CE + (1-a)*T^2*KL(p_T || q_T), the KL over every example', () => {
    const T = 2,
      a = 0.3;
    const kl = (i: number) => {
      const p = softmax(teacher[i].map((v) => v / T));
      const lq = logSoftmax(student[i].map((v) => v / T));
      return p.reduce((s, pi, c) => s + pi * (Math.log(pi) - lq[c]), 0);
    };
    const ce = -logSoftmax(student[0])[0];
    expect(lossOf('kd', [0, -1], 0, a, T)).toBeCloseTo(a * ce + ((1 - a) * T * T * (kl(0) + kl(1))) / 2, 5);
    expect(lossOf('kd', [0, -1], 0, 0, T)).toBeCloseTo((T * T * (kl(0) + kl(1))) / 2, 5);
  });

  it('logitmse compares log-softmax of student and teacher', () => {
    const want =
      [0, 1].reduce((s, i) => {
        const ls = logSoftmax(student[i]),
          lt = logSoftmax(teacher[i]);
        return s + ls.reduce((t, v, c) => t + (v - lt[c]) ** 2, 0) / 3;
      }, 0) / 2;
    expect(lossOf('logitmse', [0, 1])).toBeCloseTo(want, 5);
  });

  it('annealed: teacher distribution at the start, gold at the end, their mix halfway; teacher alone without gold', () => {
    const ceAgainst = (i: number, target: number[]) =>
      -logSoftmax(student[i]).reduce((s, v, c) => s + target[c] * v, 0);
    const onehot = (c: number) => [0, 1, 2].map((k) => (k === c ? 1 : 0));
    const mix = (lam: number, i: number, c: number) =>
      onehot(c).map((g, k) => lam * g + (1 - lam) * softmax(teacher[i])[k]);
    for (const progress of [0, 0.5, 1]) {
      const want = (ceAgainst(0, mix(progress, 0, 1)) + ceAgainst(1, softmax(teacher[1]))) / 2;
      expect(lossOf('annealed', [1, -1], progress)).toBeCloseTo(want, 5);
    }
  });

  it('annealWeight goes 0 -> 0.5 -> 1 linearly and stays in [0, 1]', () => {
    expect(annealWeight(0, 100)).toBe(0);
    expect(annealWeight(50, 100)).toBe(0.5);
    expect(annealWeight(100, 100)).toBe(1);
    expect(annealWeight(150, 100)).toBe(1);
  });
});

describe('classification metrics', () => {
  it('accuracy, agreement and macro-F1 on a hand-checked case', () => {
    const gold = [0, 0, 1, 1, 2];
    const pred = [0, 1, 1, 1, 0];
    expect(accuracy(pred, gold)).toBeCloseTo(0.6);
    expect(agreement(pred, [0, 1, 1, 2, 2])).toBeCloseTo(0.6);
    // F1: class 0: tp 1 fp 1 fn 1 -> 0.5; class 1: tp 2 fp 1 fn 0 -> 0.8; class 2: 0
    expect(macroF1(pred, gold)).toBeCloseTo((0.5 + 0.8 + 0) / 3);
  });

  it("ECE weighs each bin's |accuracy - confidence| by its share", () => {
    // bins of width 0.5: (0, 0.5] holds 0.3 (wrong); (0.5, 1] holds 0.9, 0.8 (right) and 0.7 (wrong)
    const ece = expectedCalibrationError([0.3, 0.9, 0.8, 0.7], [false, true, true, false], 2);
    expect(ece).toBeCloseTo((1 / 4) * 0.3 + (3 / 4) * Math.abs(2 / 3 - 0.8));
    expect(expectedCalibrationError([1, 1], [true, true])).toBe(0);
  });

  it('calibration bins are sufficient statistics: two halves add up to the whole, and give its ECE', () => {
    const conf = [0.3, 0.9, 0.8, 0.7],
      right = [false, true, true, false];
    expect(calibrationBins(conf, right, 2)).toEqual([
      { lo: 0, hi: 0.5, count: 1, confidenceSum: 0.3, correct: 0 },
      { lo: 0.5, hi: 1, count: 3, confidenceSum: 0.9 + 0.8 + 0.7, correct: 2 },
    ]);
    const [a, b] = [
      calibrationBins(conf.slice(0, 2), right.slice(0, 2), 2),
      calibrationBins(conf.slice(2), right.slice(2), 2),
    ];
    const summed = a.map((x, i) => ({
      ...x,
      count: x.count + b[i].count,
      confidenceSum: x.confidenceSum + b[i].confidenceSum,
      correct: x.correct + b[i].correct,
    }));
    expect(eceFromBins(summed)).toBeCloseTo(expectedCalibrationError(conf, right, 2), 12);
  });

  it('predictions take the argmax and its probability of each row', () => {
    expect(predictions([0.1, 0.7, 0.2, 0.5, 0.2, 0.3], 3)).toEqual({ pred: [1, 0], confidence: [0.7, 0.5] });
  });
});
