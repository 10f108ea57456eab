// Adam over a ParamStore's flat buffers: the textbook update (Kingma & Ba 2015, bias-corrected),
// global-norm clipping, and a state that saves and loads to the same next step.
import { describe, expect, it } from 'vitest';

import { ADAM, Adam } from '../src/train/adam.js';
import { ParamStore } from '../src/train/paramStore.js';

function store(values: number[], grads: number[]) {
  const s = new ParamStore([
    ['a', [2]],
    ['b', [1]],
  ]);
  s.values.set(values);
  s.grads.set(grads);
  return s;
}

/** the update in float64, written out as the paper does */
function reference(p: number[], g: number[], steps: number, lr: number, clip = 0) {
  const { beta1, beta2, eps } = ADAM;
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const out = [...p];
  for (let t = 1; t <= steps; t++) {
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    const gs = clip > 0 && norm > clip ? g.map((x) => (x * clip) / norm) : g;
    for (let i = 0; i < p.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * gs[i];
      v[i] = beta2 * v[i] + (1 - beta2) * gs[i] ** 2;
      out[i] -= (lr * (m[i] / (1 - beta1 ** t))) / (Math.sqrt(v[i] / (1 - beta2 ** t)) + eps);
    }
  }
  return out;
}

describe('Adam', () => {
  for (const clip of [0, 0.5]) {
    it(`matches the textbook update over 3 steps (clipNorm ${clip})`, () => {
      const s = store([0.5, -1, 2], [0.3, -0.4, 1.2]);
      const adam = new Adam(s, { ...ADAM, clipNorm: clip });
      for (let t = 0; t < 3; t++) adam.step(0.01);
      const want = reference([0.5, -1, 2], [0.3, -0.4, 1.2], 3, 0.01, clip);
      want.forEach((w, i) => expect(s.values[i]).toBeCloseTo(w, 6));
    });
  }

  it('clipping: reports the norm before clipping; a non-finite gradient changes nothing', () => {
    const s = store([1, 1, 1], [3, 4, 0]);
    expect(new Adam(s, { ...ADAM, clipNorm: 1 }).step(0.1)).toBeCloseTo(5, 6);
    const bad = store([1, 1, 1], [NaN, 0, 0]);
    expect(new Adam(bad, { ...ADAM, clipNorm: 1 }).step(0.1)).toBeNaN();
    expect(Array.from(bad.values)).toEqual([1, 1, 1]);
  });

  it('its saved state continues to the same next step', () => {
    const s = store([0.5, -1, 2], [0.3, -0.4, 1.2]);
    const a = new Adam(s);
    a.step(0.01);
    const saved = new Map(a.arrays().map((x) => [x.name, { ...x, data: Float32Array.from(x.data) }]));
    const copy = store(Array.from(s.values), [0.3, -0.4, 1.2]);
    const b = new Adam(copy);
    b.load(saved, 'test');
    a.step(0.01);
    b.step(0.01);
    expect(Array.from(copy.values)).toEqual(Array.from(s.values));
  });
});
