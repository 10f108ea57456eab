// mteval-v14 "international" tokenization (sacreBLEU's tokenizer_intl.py): split on Unicode
// punctuation and symbols, except punctuation between digits (1,000.5 stays whole).
// Like mteval-v14 (and unlike 13a) the line is not padded, so "in 2020." keeps "2020." whole.
import { pyNormalizeSpaces } from './pythonText.js';

const INTL_RULES: Array<[RegExp, string]> = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

/** tokenizeIntl("Preis: 1.000,50€") -> "Preis : 1.000,50 €" */
export function tokenizeIntl(line: string): string {
  for (const [re, repl] of INTL_RULES) line = line.replace(re, repl);
  return pyNormalizeSpaces(line);
}
