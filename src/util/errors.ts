// Errors a user fixes in what they wrote: a pipeline file's key (ConfigError) exits 2, as a usage
// error does; everything else exits 1.
export class ConfigError extends Error {
  name = 'ConfigError';
}

/** Bad input data: the message starts with the file (and line, where there is one). */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(line === null ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'InputError';
  }
}

/**
 * A value as an error message shows it: never more than a short excerpt, and never built whole
 * first (a YAML alias bomb expands to gigabytes when serialised; this stops at `max` characters).
 */
export function excerpt(value: unknown, max = 60): string {
  let out = '';
  const write = (s: string) => {
    out += s;
    if (out.length > max) throw out;
  };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      write('[');
      v.forEach((x, i) => {
        if (i) write(',');
        walk(x);
      });
      write(']');
    } else if (v && typeof v === 'object') {
      write('{');
      Object.entries(v).forEach(([k, x], i) => {
        if (i) write(',');
        write(`${JSON.stringify(k)}:`);
        walk(x);
      });
      write('}');
    } else write(typeof v === 'string' ? JSON.stringify(v) : String(v));
  };
  try {
    walk(value);
    return out;
  } catch (partial) {
    if (typeof partial !== 'string') throw partial;
    return `${partial.slice(0, max)}...`;
  }
}
