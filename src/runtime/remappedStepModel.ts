// An ONNX teacher decoding in the pipeline's ids (src/tokenize/teacherVocabulary.ts): sources and
// prefixes are renumbered into the teacher's ids on the way in, and each row of log-probabilities
// back into pipeline order on the way out (the three unused ids get -Infinity). Scores are the
// teacher's own, so beam search picks exactly what it would pick in the teacher's ids.
import type { StepModel } from '../decode/stepModel.js';
import type { OnnxSeq2Seq, OnnxState } from '../onnx/seq2seq.js';
import type { TeacherVocabulary } from './teacherVocabulary.js';

export class RemappedStepModel implements StepModel<OnnxState> {
  readonly vocabSize: number;
  readonly decoderStartId: number;
  readonly eosId: number;
  readonly padId: number;
  /** pipeline id of each teacher id */
  private readonly kdOf: Int32Array;

  constructor(
    readonly inner: OnnxSeq2Seq,
    readonly vocab: TeacherVocabulary,
  ) {
    this.vocabSize = vocab.vocabSize;
    this.decoderStartId = vocab.toKd(inner.decoderStartId);
    this.eosId = vocab.toKd(inner.eosId);
    this.padId = vocab.toKd(inner.padId);
    this.kdOf = Int32Array.from({ length: inner.vocabSize }, (_, t) => vocab.toKd(t));
  }

  /** Sources in pipeline ids without EOS; the teacher reads them as its tokenizer writes them (with its special tokens). */
  start(sources: number[][]): Promise<OnnxState> {
    return this.inner.start(sources.map((s) => this.vocab.teacherSource(s)));
  }

  async logProbs(state: OnnxState, sourceIndex: Int32Array, prefixes: number[][]): Promise<Float32Array> {
    const lp = await this.inner.logProbs(
      state,
      sourceIndex,
      prefixes.map((p) => p.map((k) => this.vocab.toTeacher(k))),
    );
    const V = this.inner.vocabSize;
    const out = new Float32Array(prefixes.length * this.vocabSize).fill(-Infinity);
    for (let r = 0; r < prefixes.length; r++) {
      const from = r * V;
      const to = r * this.vocabSize;
      for (let t = 0; t < V; t++) out[to + this.kdOf[t]] = lp[from + t];
    }
    return out;
  }

  finish(state: OnnxState): void {
    this.inner.finish(state);
  }

  /** generation_config's forced eos and bad words, in pipeline ids. */
  beamExtras(): { forcedEosId?: number; badWordsIds?: number[][] } {
    const g = this.inner.generation;
    return {
      forcedEosId: g.forcedEosId === undefined ? undefined : this.vocab.toKd(g.forcedEosId),
      badWordsIds: g.badWordsIds?.map((seq) => seq.map((t) => this.vocab.toKd(t))),
    };
  }
}
