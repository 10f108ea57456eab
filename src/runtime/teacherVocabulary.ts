// A pretrained teacher's vocabulary in the pipeline's id convention. Students distilled from an
// ONNX teacher read its subword pieces (the issue: a student uses the teacher's tokenizer), but
// every kd model, batch and mask has PAD 0, BOS 1, EOS 2. Rather than thread other special ids
// through all of them, teacher ids are renumbered (src/tokenize/teacherIds.ts): vocabSize is the
// teacher's + 3.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadHfTokenizer, type TextTokenizer, tokenizerFiles } from '../onnx/hfTokenizer.js';
import { type GenerationSettings, openModelDir } from '../onnx/modelDir.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { type TeacherIds, teacherIds } from '../tokenize/teacherIds.js';

/** What the pipeline needs of a subword vocabulary: ids without EOS, text back, a size and a hash. */
export type { SubwordCodec };

export class TeacherVocabulary implements SubwordCodec {
  readonly vocabSize: number;
  readonly hash: string;

  /** the special ids the teacher's tokenizer puts around a source (OPUS-MT: </s> after; some exports: none) */
  private readonly template: { before: number[]; after: number[] };

  private readonly ids: TeacherIds;

  private constructor(
    readonly dir: string,
    private readonly hf: TextTokenizer,
    readonly teacherVocabSize: number,
    readonly generation: GenerationSettings,
  ) {
    this.vocabSize = teacherVocabSize + 3;
    this.ids = teacherIds(generation);
    this.template = specialsAround(hf, 'a b c');
    const h = createHash('sha1').update('kd-teacher-vocabulary-1\n');
    // tokenizer.json alone (as before), or Marian's SentencePiece files
    for (const f of tokenizerFiles(dir).filter((n) => n !== 'tokenizer_config.json' && n !== 'special_tokens_map.json'))
      h.update(readFileSync(join(dir, f)));
    this.hash = h.update(JSON.stringify(generation)).digest('hex').slice(0, 16);
  }

  static async load(dir: string): Promise<TeacherVocabulary> {
    const md = openModelDir(dir);
    if (md.kind !== 'seq2seq')
      throw new Error(`${dir}: a translation teacher is needed, config.json describes a classifier`);
    const vocab = Number(md.config.decoder_vocab_size ?? md.config.vocab_size);
    return new TeacherVocabulary(dir, await loadHfTokenizer(dir), vocab, md.generation!);
  }

  /** teacher id -> pipeline id */
  toKd(t: number): number {
    return this.ids.toKd(t);
  }

  /** pipeline id -> teacher id */
  toTeacher(k: number): number {
    return this.ids.toTeacher(k);
  }

  /** The text's pieces in pipeline ids, no special tokens (the models append EOS themselves). */
  encode(text: string): number[] {
    return this.hf.encodePlain(text).map((t) => this.toKd(t));
  }

  /** A source in pipeline ids as the teacher reads it: its own ids, with its tokenizer's special tokens around them. */
  teacherSource(ids: number[]): number[] {
    return [...this.template.before, ...ids.map((k) => this.toTeacher(k)), ...this.template.after];
  }

  decode(ids: number[]): string {
    return this.hf.decode(ids.map((k) => this.toTeacher(k)));
  }
}

/** Which special ids tokenizer(text) adds before and after the text's own ids (probed on one text). */
function specialsAround(hf: TextTokenizer, probe: string): { before: number[]; after: number[] } {
  const full = hf.encode(probe);
  const plain = hf.encodePlain(probe);
  for (let before = 0; before <= full.length - plain.length; before++) {
    if (plain.every((id, i) => full[before + i] === id))
      return { before: full.slice(0, before), after: full.slice(before + plain.length) };
  }
  throw new Error(
    `the teacher's tokenizer encodes '${probe}' as ${full.join(' ')}, which does not contain its plain ids ${plain.join(' ')}`,
  );
}
