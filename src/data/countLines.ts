// Counts a file's lines by scanning bytes (for progress totals; cheap next to any model work).
import { assertReadableFile, openBytes, STDIN } from './textLines.js';

/** Lines as readLines yields them: a final line without newline counts. 0 for standard input (unknown). */
export async function countLines(file: string): Promise<number> {
  if (file === STDIN) return 0;
  assertReadableFile(file);
  let lines = 0;
  let last = 10;
  for await (const chunk of openBytes(file)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1];
  }
  return last === 10 ? lines : lines + 1;
}
