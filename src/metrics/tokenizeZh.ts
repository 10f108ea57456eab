// sacreBLEU's zh tokenizer (tokenizer_zh.py): every Chinese character becomes a token, the rest
// goes through the 13a rules.
//
// sacreBLEU writes two of its ranges as '\u20000'-'\u2a6d6' and '\u2f800'-'\u2fa1d'. Python
// reads '\u20000' as U+2000 followed by '0', so, compared with one character, those ranges are
// really U+2001..U+2A6D and U+2F81..U+2FA1 (general punctuation, arrows, math symbols...), and
// Extension B itself is never split. We reproduce that, since agreeing with sacreBLEU is the point.
import { mtevalRules } from './tokenize13a.js';

const CHINESE_RANGES: Array<[number, number]> = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d],
  [0x2f81, 0x2fa1],
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

function isChineseChar(codePoint: number): boolean {
  return CHINESE_RANGES.some(([lo, hi]) => codePoint >= lo && codePoint <= hi);
}

/** tokenizeZh("我喜欢NLP.") -> "我 喜 欢 NLP ." */
export function tokenizeZh(line: string): string {
  let spaced = '';
  for (const ch of line.trim()) {
    spaced += isChineseChar(ch.codePointAt(0)!) ? ` ${ch} ` : ch;
  }
  return mtevalRules(spaced);
}
