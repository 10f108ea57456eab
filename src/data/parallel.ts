// Reads a source and a target file in lockstep, validating as it goes: equal line counts,
// no empty or whitespace-only line, valid UTF-8, no line over the length limit. Every error
// names the file and the line. Streams: memory holds one pair at a time.
import { InputError } from '../util/errors.js';
import { readLines } from './textLines.js';

export interface ParallelRules {
  maxChars: number;
  allowEmpty?: boolean;
}

export async function* readParallel(
  srcFile: string,
  tgtFile: string,
  rules: ParallelRules,
): AsyncGenerator<[string, string]> {
  const lineRules = { allowEmpty: rules.allowEmpty ?? false, maxChars: rules.maxChars };
  const src = readLines(srcFile, lineRules)[Symbol.asyncIterator]();
  const tgt = readLines(tgtFile, lineRules)[Symbol.asyncIterator]();
  let n = 0;
  for (;;) {
    const [s, t] = await Promise.all([src.next(), tgt.next()]);
    if (s.done && t.done) return;
    if (s.done || t.done) {
      const [short, long] = s.done ? [srcFile, tgtFile] : [tgtFile, srcFile];
      throw new InputError(
        short,
        null,
        `has ${n} lines but ${long} has more: source and target must have equal line counts`,
      );
    }
    n++;
    yield [s.value, t.value];
  }
}
