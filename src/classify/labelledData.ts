// Labelled text files: one example a line, LABEL<TAB>TEXT, the label one of the dataset's classes.
// Streams, validating as it goes (errors name the file and line).
import { existsSync } from 'node:fs';

import { readLines } from '../data/textLines.js';
import { InputError } from '../util/errors.js';

/** PATH, or PATH.gz when only the compressed file exists (the bundled corpora). */
export function plainOrGz(path: string): string {
  return existsSync(path) || !existsSync(`${path}.gz`) ? path : `${path}.gz`;
}

export async function* readLabelled(
  file: string,
  labels: string[],
  maxChars: number,
): AsyncGenerator<{ label: number; text: string }> {
  const ids = new Map(labels.map((l, i) => [l, i]));
  let lineNo = 0;
  for await (const line of readLines(file, { allowEmpty: false, maxChars })) {
    lineNo++;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new InputError(file, lineNo, 'expected LABEL<TAB>TEXT, found no tab');
    const label = ids.get(line.slice(0, tab));
    if (label === undefined)
      throw new InputError(file, lineNo, `unknown label "${line.slice(0, tab)}" (labels: ${labels.join(', ')})`);
    const text = line.slice(tab + 1).trim();
    if (!text) throw new InputError(file, lineNo, 'empty text after the label');
    yield { label, text };
  }
}
