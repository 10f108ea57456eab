// The Adam kernel (src/train/adamKernel.wat, SIMD in WebAssembly): its committed bytes are its text
// compiled, its update equals the float64 formula to float32 rounding on a size that is not a
// multiple of its four lanes, the padding beyond the arrays stays zero, and the squared norm equals
// a float64 sum.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { compileWat } from '../scripts/wasmText.js';
import { AdamKernel } from '../src/train/adamKernel.js';
import { ADAM_KERNEL_WASM } from '../src/train/adamKernelWasm.js';
import { rng } from '../src/train/batches.js';

describe('Adam kernel', () => {
  it('its committed bytes are adamKernel.wat compiled (npx tsx scripts/build-wasm.ts)', async () => {
    const wat = readFileSync(new URL('../src/train/adamKernel.wat', import.meta.url), 'utf8');
    const bytes = await compileWat('adamKernel.wat', wat);
    expect(Buffer.from(bytes).toString('base64')).toBe(ADAM_KERNEL_WASM);
  });

  it('updates as the float64 formula does, leaving the padding lanes at zero', () => {
    const n = 1003;
    const k = new AdamKernel(n);
    const random = rng(3);
    for (let i = 0; i < n; i++) {
      k.values[i] = 2 * random() - 1;
      k.grads[i] = (random() - 0.5) * 10 ** (-4 * random());
    }
    const start = Array.from(k.values);
    const p = [...start];
    const m = new Array<number>(n).fill(0);
    const v = new Array<number>(n).fill(0);
    const [b1, b2, eps, lr, scale] = [0.9, 0.98, 1e-9, 0.003, 0.7];
    for (let t = 1; t <= 4; t++) {
      const step = lr / (1 - b1 ** t);
      const invC2 = 1 / (1 - b2 ** t);
      k.adam(scale, step, invC2, b1, b2, eps);
      for (let i = 0; i < n; i++) {
        const g = k.grads[i] * scale;
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        p[i] -= (step * m[i]) / (Math.sqrt(v[i] * invC2) + eps);
      }
    }
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(k.values[i] - p[i]));
    // float32 rounding: parameters in [-1, 1] move by ~lr a step; 4 steps, a few ulps of 1 each
    expect(worst).toBeLessThan(1e-6);
    for (let i = 0; i < n; i++) expect(Math.abs(k.values[i] - start[i])).toBeGreaterThan(lr);
    const tail = new Float32Array(k.values.buffer, k.values.byteOffset + n * 4, 1);
    expect(tail[0]).toBe(0);
    const mTail = new Float32Array(k.m.buffer, k.m.byteOffset + n * 4, 1);
    expect(mTail[0]).toBe(0);
  });

  it("the gradient's squared norm equals a float64 sum", () => {
    const k = new AdamKernel(7);
    k.grads.set([1, -2, 3, 0.5, -0.25, 1e-3, 4]);
    const want = Array.from(k.grads).reduce((s, x) => s + x * x, 0);
    expect(k.gradSumSquares()).toBe(want);
  });
});
