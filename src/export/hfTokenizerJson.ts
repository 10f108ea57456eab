// The project's BPE tokenizer as a Hugging Face tokenizer.json (what transformers.js and
// tokenizers load): Metaspace pre-tokenization with no marker before the first word, BPE with
// byte fallback, </s> appended to every encoded text (the project's translation models read sources
// so; classifiers read texts without it).
// One difference, documented: a literal U+2581 in the text is a space marker there, bytes here.
import { SPACE_MARK } from '../tokenize/pieces.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';

const SPECIALS = ['<pad>', '<s>', '</s>', '<unk>'];

/** appendEos false: the text alone (classifiers read texts without </s>). */
export function hfTokenizerJson(tok: Tokenizer, opts: { appendEos?: boolean } = {}): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (let id = 0; id < tok.vocabSize; id++) {
    const piece = tok.piece(id);
    if (!(piece in vocab)) vocab[piece] = id; // first id wins, as in Tokenizer
  }
  const eos = SPECIALS.indexOf('</s>');
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: SPACE_MARK, prepend_scheme: 'never', split: true },
    post_processor:
      opts.appendEos === false
        ? null
        : {
            type: 'TemplateProcessing',
            single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
            pair: [
              { Sequence: { id: 'A', type_id: 0 } },
              { Sequence: { id: 'B', type_id: 0 } },
              { SpecialToken: { id: '</s>', type_id: 0 } },
            ],
            special_tokens: { '</s>': { id: '</s>', ids: [eos], tokens: ['</s>'] } },
          },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: SPACE_MARK }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: tok.model.merges,
    },
  };
}

/** maxLength: where a tokenizer called with truncation cuts (transformers.js pipelines truncate). */
export function hfTokenizerConfig(maxLength = 1024): Record<string, unknown> {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    pad_token: '<pad>',
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    model_max_length: maxLength,
    clean_up_tokenization_spaces: false,
  };
}
