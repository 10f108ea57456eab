// How a pretrained teacher's token ids become the pipeline's: every kd model, batch and mask has
// PAD 0, BOS 1, EOS 2, so the teacher's decoder start becomes BOS, its eos EOS, its pad (where it
// differs from the start) PAD, and every other id t becomes t + 3; the pipeline's vocabulary is the
// teacher's + 3 (the ids t + 3 of its specials are never produced). One rule for the students'
// training (src/runtime/teacherVocabulary.ts) and their export back into the teacher's ids
// (src/export/exportTeacherVocabulary.ts).
import { BOS, EOS, PAD } from './tokenizer.js';

/** The prepare stage's record of a pretrained teacher whose vocabulary the students use. */
export const TEACHER_VOCABULARY_FILE = 'teacher.json';

export interface TeacherSpecials {
  decoderStartId: number;
  eosId: number;
  padId: number;
}

export interface TeacherIds {
  /** teacher id -> pipeline id */
  toKd(t: number): number;
  /** pipeline id -> teacher id */
  toTeacher(k: number): number;
}

export function teacherIds(g: TeacherSpecials): TeacherIds {
  return {
    toKd: (t) => (t === g.eosId ? EOS : t === g.decoderStartId ? BOS : t === g.padId ? PAD : t + 3),
    toTeacher: (k) => (k === EOS ? g.eosId : k === BOS ? g.decoderStartId : k === PAD ? g.padId : k - 3),
  };
}
