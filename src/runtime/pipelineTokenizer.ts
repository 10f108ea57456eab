// The pipeline's vocabulary: the BPE the prepare stage trained (tokenizer.json), or, with a
// pretrained ONNX teacher, the teacher's own (teacher.json names its folder; ./teacherVocabulary.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TEACHER_VOCABULARY_FILE } from '../tokenize/teacherIds.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { type SubwordCodec, TeacherVocabulary } from './teacherVocabulary.js';

export { TEACHER_VOCABULARY_FILE };

export async function loadPipelineTokenizer(prepareDir: string): Promise<SubwordCodec> {
  const teacherFile = join(prepareDir, TEACHER_VOCABULARY_FILE);
  if (!existsSync(teacherFile)) return Tokenizer.load(join(prepareDir, 'tokenizer.json'));
  const { onnx } = JSON.parse(readFileSync(teacherFile, 'utf8')) as { onnx: string };
  return TeacherVocabulary.load(onnx);
}
