// The one implementation of every metric the toolkit reports. Nothing else scores text.
export { Bleu, corpusBleu, sentenceBleu, type BleuOptions, type BleuResult } from './bleu.js';
export { bleuFromStats, type BleuStats, SMOOTH_METHODS, type SmoothMethod } from './bleuScore.js';
export { Chrf, corpusChrf, type ChrfOptions, type ChrfResult } from './chrf.js';
export { Ter, corpusTer, type TerOptions, type TerResult } from './ter.js';
export { BLEU_TOKENIZERS, createTokenizer } from './tokenizers.js';
export { METRICS_VERSION, MATCHES_SACREBLEU } from './version.js';
