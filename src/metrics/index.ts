// The one implementation of every metric the toolkit reports. Nothing else scores text.
export { Bleu, type BleuOptions, type BleuResult, corpusBleu, sentenceBleu } from './bleu.js';
export { bleuFromStats, type BleuStats, SMOOTH_METHODS, type SmoothMethod } from './bleuScore.js';
export { Chrf, type ChrfOptions, type ChrfResult, corpusChrf } from './chrf.js';
export { corpusTer, Ter, type TerOptions, type TerResult } from './ter.js';
export { BLEU_TOKENIZERS, createTokenizer } from './tokenizers.js';
export { MATCHES_SACREBLEU, METRICS_VERSION } from './version.js';
