// Allowed values of a pipeline's numbers and names, checked when the file is read, before any stage
// runs: an error names the file and the key's path (a bad value found three stages later, as a
// tensor shape error, costs the user the stages before it).
import { ConfigError, excerpt } from '../util/errors.js';

type Check = { ok: (v: unknown, all: Record<string, unknown>) => boolean; want: string };

const int = (min: number, max = Infinity): Check => ({ ok: (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max, want: max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]` });
const num = (lo: number, hi: number, loOpen = false, hiOpen = false): Check => ({
  ok: (v) => typeof v === 'number' && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi),
  want: `a number in ${loOpen ? '(' : '['}${lo}, ${hi === Infinity ? 'inf' : hi}${hiOpen || hi === Infinity ? ')' : ']'}`,
});
const oneOf = (...values: string[]): Check => ({ ok: (v) => values.includes(v as string), want: `one of ${values.join(', ')}` });
const plainName: Check = { ok: (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) && !v.includes('..'), want: 'a plain name (letters, digits, . _ -; no path)' };

export const RULES = { int, num, oneOf, plainName };

/** A model's width must split evenly over its heads. */
export const headsDivide: Check = { ok: (v, all) => Number.isInteger(v) && (v as number) >= 1 && (all.dModel as number) % (v as number) === 0, want: 'an integer >= 1 that divides dModel' };

/** Checks `config` against rules keyed by path (`a.b.c`; `*` matches any key at that level). */
export function checkRanges(config: unknown, rules: Record<string, Check>, file: string): void {
  for (const [pattern, check] of Object.entries(rules)) {
    for (const { path, value, parent } of matches(config, pattern.split('.'), '', null)) {
      if (!check.ok(value, parent ?? {})) throw new ConfigError(`${file}: '${path}' must be ${check.want}, got ${excerpt(value)}`);
    }
  }
}

function* matches(node: unknown, parts: string[], path: string, parent: Record<string, unknown> | null): Generator<{ path: string; value: unknown; parent: Record<string, unknown> | null }> {
  if (!parts.length) {
    yield { path, value: node, parent };
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const [head, ...rest] = parts;
  for (const key of head === '*' ? Object.keys(obj) : [head]) {
    if (key in obj) yield* matches(obj[key], rest, path ? `${path}.${key}` : key, obj);
  }
}
