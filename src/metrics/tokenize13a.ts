// mteval-v13a tokenization as sacreBLEU applies it (tokenizer_13a.py + tokenizer_re.py):
// the WMT default. The padding with spaces matters: it makes a sentence-final period split off
// even after a digit ("in 2020." -> "in 2020 .").
import { pyNormalizeSpaces } from './pythonText.js';

const MTEVAL_RULES: Array<[RegExp, string]> = [
  // every ASCII symbol and punctuation but . , - and ' (sacreBLEU's patterns as it writes them)
  // eslint-disable-next-line no-useless-escape
  [/([\{-\~\[-\` -\&\(-\+\:-\@\/])/g, ' $1 '],
  // period and comma, unless between digits
  // eslint-disable-next-line no-useless-escape
  [/([^0-9])([\.,])/g, '$1 $2 '],
  // eslint-disable-next-line no-useless-escape
  [/([\.,])([^0-9])/g, ' $1 $2'],
  // dash after a digit
  [/([0-9])(-)/g, '$1 $2 '],
];

/** The rules shared by the 13a and zh tokenizers ("TokenizerRegexp" in sacreBLEU). */
export function mtevalRules(line: string): string {
  for (const [re, repl] of MTEVAL_RULES) line = line.replace(re, repl);
  return pyNormalizeSpaces(line);
}

/** tokenize13a("Hello, world!") -> "Hello , world !" */
export function tokenize13a(line: string): string {
  line = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return mtevalRules(` ${line} `);
}
