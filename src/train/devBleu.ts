// Dev BLEU for early stopping: greedy decoding, detokenized output, sacreBLEU-exact corpus BLEU.
import { Bleu } from '../metrics/index.js';
import { TfStepModel } from '../models/tfStepModel.js';
import type { Transformer } from '../models/transformer.js';
import { translateAll } from '../decode/translate.js';
import type { SubwordCodec } from '../tokenize/teacherVocabulary.js';

export async function devBleu(model: Transformer, dev: { src: number[][]; refs: string[] }, tok: SubwordCodec): Promise<number> {
  const hyps = await translateAll(new TfStepModel(model), dev.src, { numBeams: 1, maxLength: 0, batchSize: 64 });
  return new Bleu().corpus(hyps.map((h) => tok.decode(h[0]?.tokens ?? [])), [dev.refs]).score;
}
