// A stage's folder in a pipeline's work folder: STAGE-KEY, the key 12 hex digits, so that
// 'teacher' is not 'teacher-ngrams' nor 'student-seqkd' 'student-seqkd-wordkd'.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function stageDir(work: string, stage: string): string {
  const found = readdirSync(work).find((d) => new RegExp(`^${stage}-[0-9a-f]{12}$`).test(d));
  if (!found) throw new Error(`no ${stage}-KEY folder in ${work}`);
  return join(work, found);
}
