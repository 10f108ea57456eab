// Sinusoidal positions (Vaswani et al. 2017): row pos, columns 2i and 2i+1 hold
// sin and cos of pos / 10000^(2i/d). No parameters; any length.
export function sinusoids(L: number, d: number): Float32Array {
  const data = new Float32Array(L * d);
  for (let pos = 0; pos < L; pos++) {
    for (let i = 0; i < d; i += 2) {
      const angle = pos / 10000 ** (i / d);
      data[pos * d + i] = Math.sin(angle);
      if (i + 1 < d) data[pos * d + i + 1] = Math.cos(angle);
    }
  }
  return data;
}
