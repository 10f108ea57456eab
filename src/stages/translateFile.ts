// kd translate: a pretrained ONNX translation model over a file, in length-sorted batches, chunk
// by chunk (resumable, memory bounded by the chunk), writing text or n-best JSON lines.
import { countLines } from '../data/countLines.js';
import { chunkedOutput, mapFileInChunks } from '../data/resumableOutput.js';
import { translateAll } from '../decode/translate.js';
import { hasTokenizer, loadHfTokenizer } from '../onnx/hfTokenizer.js';
import type { DtypeChoice } from '../onnx/onnxFiles.js';
import { OnnxSeq2Seq } from '../onnx/seq2seq.js';
import { InputError } from '../util/errors.js';
import { Progress } from '../util/progress.js';

export interface TranslateFileOptions {
  model: string;
  input: string;
  output: string;
  numBeams?: number;
  nbest: number;
  maxLength?: number;
  lengthPenalty?: number;
  inputFormat: 'text' | 'ids';
  batchSize: number;
  chunkLines: number;
  threads?: number;
  cache: boolean;
  /** which precision's ONNX files (default auto: fp32 where present, else a quantized one) */
  dtype?: DtypeChoice;
}

export async function translateFile(
  opts: TranslateFileOptions,
  log: (m: string) => void,
): Promise<{ lines: number; seconds: number; peakRssMb: number }> {
  const model = await OnnxSeq2Seq.load(opts.model, { threads: opts.threads, useCache: opts.cache, dtype: opts.dtype });
  // ids in: no tokenizer needed, but one (if there) gives the n-best its text
  const tok = opts.inputFormat === 'ids' && !hasTokenizer(opts.model) ? null : await loadHfTokenizer(opts.model);
  const gen = model.generation;
  const beam = {
    numBeams: opts.numBeams ?? gen.numBeams,
    maxLength: opts.maxLength ?? gen.maxLength,
    lengthPenalty: opts.lengthPenalty ?? gen.lengthPenalty,
    forcedEosId: gen.forcedEosId,
    badWordsIds: gen.badWordsIds,
  };
  const nbest = Math.min(opts.nbest, beam.numBeams);
  log(
    `translate: ${opts.model} (${model.modelDir.dtype}, ${model.hasCache ? 'KV cache' : 'no KV cache'}), beams ${beam.numBeams}, n-best ${nbest}, max length ${beam.maxLength}, length penalty ${beam.lengthPenalty}`,
  );
  const json = opts.inputFormat === 'ids' || nbest > 1;
  const out = chunkedOutput(opts.output, {
    ...opts,
    output: undefined,
    threads: undefined,
    ...beam,
    nbest,
    dtype: model.modelDir.dtype,
  });
  const progress = new Progress('translate', opts.input === '-' ? 0 : await countLines(opts.input), 'sent');
  const lineCount = await mapFileInChunks(opts.input, opts.chunkLines, out, progress, async (lines, firstLine) => {
    const sources = lines.map((line, i) =>
      opts.inputFormat === 'ids' ? parseIds(line, opts.input, firstLine + i, model.vocabSize) : tok!.encode(line),
    );
    const live = sources.map((s, i) => ({ s, i })).filter((x) => x.s.length > 0); // an empty line translates to an empty line
    const hyps = await translateAll(
      model,
      live.map((x) => x.s),
      { ...beam, nbest, batchSize: opts.batchSize },
      (n) => progress.tick(n),
    );
    const results = lines.map(() => [] as Array<{ ids: number[]; text: string; score: number }>);
    live.forEach(
      (x, k) =>
        (results[x.i] = hyps[k].map((h) => ({
          ids: [model.decoderStartId, ...h.tokens],
          text: tok?.decode(h.tokens) ?? '',
          score: h.score,
        }))),
    );
    progress.tick(lines.length - live.length);
    return results.map((r) => (json ? JSON.stringify({ nbest: r }) : (r[0]?.text ?? '')));
  });
  await model.close();
  log(
    `translate: ${lineCount} lines in ${progress.seconds.toFixed(1)} s (${progress.rate.toFixed(1)} sent/s), peak memory ${progress.peakRssMb.toFixed(0)} MB -> ${opts.output}`,
  );
  return { lines: lineCount, seconds: progress.seconds, peakRssMb: progress.peakRssMb };
}

/** A line of space-separated token ids, used as they are (no special tokens added). */
export function parseIds(line: string, file: string, lineNo: number, vocab: number): number[] {
  const fields = line.trim().split(/\s+/).filter(Boolean);
  return fields.map((f) => {
    const id = Number(f);
    if (!/^\d+$/.test(f) || id >= vocab)
      throw new InputError(file, lineNo, `"${f}" is not a token id (integers 0..${vocab - 1})`);
    return id;
  });
}
