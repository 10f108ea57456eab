// The BLEU tokenizers by name, as sacreBLEU's --tokenize flag names them.
import { codePoints } from './pythonText.js';
import { tokenize13a } from './tokenize13a.js';
import { tokenizeIntl } from './tokenizeIntl.js';
import { tokenizeZh } from './tokenizeZh.js';

export const BLEU_TOKENIZERS = ['13a', 'intl', 'none', 'char', 'zh'] as const;
export type BleuTokenizerName = (typeof BLEU_TOKENIZERS)[number];
export type Tokenizer = (line: string) => string;

/** createTokenizer('char')("ab c") -> "a b   c" (sacreBLEU keeps the space as a character). */
export function createTokenizer(name: string): Tokenizer {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'intl':
      return tokenizeIntl;
    case 'zh':
      return tokenizeZh;
    case 'none':
      return (line) => line;
    case 'char':
      return (line) => codePoints(line).join(' ');
    default:
      throw new Error(`unknown BLEU tokenizer '${name}' (known: ${BLEU_TOKENIZERS.join(', ')})`);
  }
}
