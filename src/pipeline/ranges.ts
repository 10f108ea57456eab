// Allowed values of a pipeline's numbers and names, checked when the file is read, before any stage
// runs: an error names the file and the key's path (a bad value found three stages later, as a
// tensor shape error, costs the user the stages before it).
import { ConfigError, excerpt } from '../util/errors.js';

/** A rule: the check, the words an error uses, and the same constraint in JSON Schema (kd schema). */
export type Check = {
  ok: (v: unknown, all: Record<string, unknown>) => boolean;
  want: string;
  schema: Record<string, unknown>;
};

const int = (min: number, max = Infinity): Check => ({
  ok: (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
  want: max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`,
  schema: { type: 'integer', minimum: min, ...(max === Infinity ? {} : { maximum: max }) },
});
const num = (lo: number, hi: number, loOpen = false, hiOpen = false): Check => ({
  ok: (v) => typeof v === 'number' && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi),
  want: `a number in ${loOpen ? '(' : '['}${lo}, ${hi === Infinity ? 'inf' : hi}${hiOpen || hi === Infinity ? ')' : ']'}`,
  schema: {
    type: 'number',
    [loOpen ? 'exclusiveMinimum' : 'minimum']: lo,
    ...(hi === Infinity ? {} : { [hiOpen ? 'exclusiveMaximum' : 'maximum']: hi }),
  },
});
const oneOf = (...values: string[]): Check => ({
  ok: (v) => values.includes(v as string),
  want: `one of ${values.join(', ')}`,
  schema: { enum: values },
});
const plainName: Check = {
  ok: (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) && !v.includes('..'),
  want: 'a plain name (letters, digits, . _ -; no path)',
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
};

export const RULES = { int, num, oneOf, plainName };

/** A model's width must split evenly over its heads (JSON Schema cannot say "divides": minimum only). */
export const headsDivide: Check = {
  ok: (v, all) => Number.isInteger(v) && (v as number) >= 1 && (all.dModel as number) % (v as number) === 0,
  want: 'an integer >= 1 that divides dModel',
  schema: { type: 'integer', minimum: 1, description: 'must divide dModel' },
};

/**
 * The JSON Schema (draft 2020-12) of a pipeline file: its keys and types from the defaults (every
 * key optional, no others allowed), each default stated, and the rules' constraints where a rule
 * names the key's path.
 */
export function jsonSchema(
  defaults: unknown,
  rules: Record<string, Check>,
  title: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const ruleFor = (path: string[]) =>
    Object.entries(rules).find(([pattern]) => {
      const parts = pattern.split('.');
      return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i]);
    })?.[1];
  const walk = (value: unknown, path: string[]): Record<string, unknown> => {
    const rule = ruleFor(path);
    if (Array.isArray(value)) {
      const item = ruleFor([...path, '0']) ?? ruleFor([...path, '*']);
      return {
        type: 'array',
        default: value,
        ...(item ? { items: item.schema } : value.length ? { items: { type: typeof value[0] } } : {}),
      };
    }
    if (value && typeof value === 'object') {
      const properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
      return { type: 'object', properties, additionalProperties: false };
    }
    return { type: typeof value === 'number' ? 'number' : typeof value, ...(rule?.schema ?? {}), default: value };
  };
  const root = walk(defaults, []);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    ...root,
    properties: { ...(root.properties as object), ...extra },
  };
}

/** Checks `config` against rules keyed by path (`a.b.c`; `*` matches any key at that level). */
export function checkRanges(config: unknown, rules: Record<string, Check>, file: string): void {
  for (const [pattern, check] of Object.entries(rules)) {
    for (const { path, value, parent } of matches(config, pattern.split('.'), '', null)) {
      if (!check.ok(value, parent ?? {}))
        throw new ConfigError(`${file}: '${path}' must be ${check.want}, got ${excerpt(value)}`);
    }
  }
}

function* matches(
  node: unknown,
  parts: string[],
  path: string,
  parent: Record<string, unknown> | null,
): Generator<{ path: string; value: unknown; parent: Record<string, unknown> | null }> {
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
