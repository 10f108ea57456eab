// How the report tables write numbers, Markdown and HTML alike: one place, so both show the same
// figures for the same field.
export const fixed = (d: number) => (v: number) => v.toFixed(d);
export const percent = (v: number) => (100 * v).toFixed(2);
export const millions = (v: number) => `${(v / 1e6).toFixed(2)}M`;
export const mebibytes = (v: number) => (v / 2 ** 20).toFixed(2); // the tables' "Size MB"

/** The same format for a value that may be missing (null or undefined: —). */
export const orDash =
  (format: (v: number) => string) =>
  (v: number | null | undefined): string =>
    v === null || v === undefined ? '—' : format(v);

/** a / b as a speed-up or size ratio ("1.25x"); — where either is missing or zero. */
export const ratio = (a: number | null | undefined, b: number | null | undefined): string =>
  a && b ? `${(a / b).toFixed(2)}x` : '—';
