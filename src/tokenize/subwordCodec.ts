// What the pipeline needs of a vocabulary, whether kd trained it (./tokenizer.ts) or a pretrained
// teacher brought it (src/runtime/teacherVocabulary.ts): sizes, identity, text to ids and back.
export interface SubwordCodec {
  readonly vocabSize: number;
  readonly hash: string;
  encode(text: string): number[];
  decode(ids: number[]): string;
}
