// Symmetric int8 quantization of a weight matrix, as onnxruntime's quantize_dynamic does for its
// default QInt8 weights: scale = max|w| / 127 over the tensor or over each channel, zero point 0,
// q = round-half-even(w / scale) clipped to [-127, 127] (127, not 128: the range stays symmetric).
// A channel of zeros gets scale 1 (nothing to represent; onnxruntime does the same).

export interface Int8Tensor {
  data: Int8Array;
  /** one scale per channel ([channels]) or one for the tensor ([]) */
  scales: Float32Array;
  scaleDims: number[];
}

/** w is [rows, cols] row-major; axis 0: a scale per row, 1: per column, null: one scale. */
export function quantizeInt8(w: Float32Array, rows: number, cols: number, axis: 0 | 1 | null): Int8Tensor {
  const channels = axis === null ? 1 : axis === 0 ? rows : cols;
  const channelOf =
    axis === null ? () => 0 : axis === 0 ? (i: number) => Math.floor(i / cols) : (i: number) => i % cols;
  const absMax = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(w[i]);
    if (a > absMax[c]) absMax[c] = a;
  }
  const scales = absMax.map((m) => (m > 0 ? m / 127 : 1));
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++)
    data[i] = Math.max(-127, Math.min(127, roundHalfEven(w[i] / scales[channelOf(i)])));
  return { data, scales, scaleDims: axis === null ? [] : [channels] };
}

/** numpy's round (ties to even), which onnxruntime's quantizer uses. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
