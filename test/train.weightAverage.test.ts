// The weight average (src/train/weightAverage.ts): the update rule against float64 arithmetic, its
// warm start, the in-place exchange, and its checkpoint state.
import { describe, expect, it } from 'vitest';

import { ParamStore } from '../src/train/paramStore.js';
import { WeightAverage } from '../src/train/weightAverage.js';

const store = () => {
  const s = new ParamStore([
    ['a', [3, 2]],
    ['b', [4]],
  ]);
  s.init(4, 1);
  return s;
};

describe('weight average', () => {
  it('follows avg = d*avg + (1-d)*params with d = min(decay, (1+n)/(10+n))', () => {
    const s = store();
    const avg = new WeightAverage(s, 0.5);
    const want = Array.from(s.values); // starts at the initial parameters
    for (let n = 0; n < 12; n++) {
      for (let i = 0; i < s.values.length; i++) s.values[i] += Math.sin(n * 7 + i); // an optimizer step
      const d = Math.min(0.5, (1 + n) / (10 + n));
      expect(avg.nextDecay()).toBeCloseTo(d, 12);
      avg.update();
      want.forEach((w, i) => (want[i] = d * w + (1 - d) * s.values[i]));
      avg.values.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    }
    // the warm start ends where the decay takes over: (1+n)/(10+n) reaches 0.5 at n = 8
    expect(avg.nextDecay()).toBe(0.5);
  });

  it('exchanges the average and the parameters in place; twice is no change', () => {
    const s = store();
    const avg = new WeightAverage(s, 0.9);
    s.values.fill(3);
    avg.update();
    const params = Float32Array.from(s.values);
    const average = Float32Array.from(avg.values);
    avg.exchange();
    expect(s.values).toEqual(average);
    expect(avg.values).toEqual(params);
    avg.exchange();
    expect(s.values).toEqual(params);
    expect(avg.values).toEqual(average);
  });

  it('saves and loads its state; a checkpoint without one is an error that names the setting', () => {
    const s = store();
    const avg = new WeightAverage(s, 0.9);
    s.values.fill(1);
    avg.update();
    avg.update();
    const tensors = new Map(avg.arrays().map((a) => [a.name, a]));
    const other = new WeightAverage(store(), 0.9);
    other.load(tensors, 'ck');
    expect(other.values).toEqual(avg.values);
    expect(other.nextDecay()).toBe(avg.nextDecay());
    expect(() => other.load(new Map(), 'models/x/last')).toThrow(/models\/x\/last: no weight average.*train.ema/);
    expect(() => new WeightAverage(s, 1)).toThrow(/decay 1/);
  });
});
