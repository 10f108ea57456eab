// Rows of a row-major [rows, ...] float32 array picked by index along the first axis: the beam
// search's rows are gathered so from per-source encoder states and from the previous step's cache.

export interface Rows {
  data: Float32Array;
  dims: readonly number[];
}

export function gatherRows(from: Rows, rows: ArrayLike<number>): Rows {
  const rowSize = from.data.length / from.dims[0];
  const data = new Float32Array(rows.length * rowSize);
  for (let r = 0; r < rows.length; r++)
    data.set(from.data.subarray(rows[r] * rowSize, (rows[r] + 1) * rowSize), r * rowSize);
  return { data, dims: [rows.length, ...from.dims.slice(1)] };
}
