// kd translate and kd label: pretrained ONNX models (Hugging Face layout) over files.
import type { Argv, CommandModule } from 'yargs';

import { type DtypeChoice, DTYPES } from '../onnx/onnxFiles.js';

const log = (m: string) => process.stderr.write(`${m}\n`);

/** The options kd translate and kd label share: a model folder, files in and out, chunks, threads. */
function fileJobOptions<T>(y: Argv<T>, model: string, input: string, chunkLines: number) {
  return y
    .option('model', { type: 'string', demandOption: true, describe: model })
    .option('input', { alias: 'i', type: 'string', demandOption: true, describe: `${input} (- reads standard input)` })
    .option('output', { alias: 'o', type: 'string', demandOption: true })
    .option('chunk-lines', { type: 'number', default: chunkLines, describe: 'lines per resumable chunk' })
    .option('threads', {
      type: 'number',
      default: 0,
      describe:
        "onnxruntime's kernel threads (0: kd chooses: every core; kd translate's one-graph search then runs one single-threaded worker lane per core, KD_ORT_LANES sets how many)",
    })
    .option('dtype', {
      choices: ['auto', ...DTYPES] as const,
      default: 'auto' as const,
      describe:
        "which precision's ONNX files, named as transformers.js names them: fp32 (NAME.onnx), q8 (NAME_quantized.onnx: kd export --quantize int8), int8, uint8; auto: fp32 where there, else a quantized one",
    });
}

interface TranslateArgs {
  model: string;
  input: string;
  output: string;
  'num-beams'?: number;
  nbest: number;
  'max-length'?: number;
  'length-penalty'?: number;
  'input-format': 'text' | 'ids';
  'batch-size': number;
  'chunk-lines': number;
  threads: number;
  cache: boolean;
  dtype: DtypeChoice;
}

export const translateCommand: CommandModule<object, TranslateArgs> = {
  command: 'translate',
  describe: 'translate a file with an ONNX translation model (beam search, n-best with scores)',
  builder: (y) =>
    fileJobOptions(
      y,
      'model folder: config.json, generation_config.json, tokenizer.json, onnx/',
      'one source per line',
      1000,
    )
      .option('num-beams', {
        type: 'number',
        describe: "beam size (default: generation_config's num_beams); 1 is greedy",
      })
      .option('nbest', {
        type: 'number',
        default: 1,
        describe: 'hypotheses per input; above 1 the output is JSON lines',
      })
      .option('max-length', {
        type: 'number',
        describe: "decoder length, start token included (default: generation_config's max_length)",
      })
      .option('length-penalty', {
        type: 'number',
        describe: "score = log-prob / length^penalty (default: generation_config's)",
      })
      .option('input-format', {
        choices: ['text', 'ids'] as const,
        default: 'text' as const,
        describe:
          'ids: space-separated token ids used as they are; output is then {"nbest":[{"ids","text","score"}]} per line',
      })
      .option('batch-size', { type: 'number', default: 16, describe: 'sentences decoded together' })
      .option('cache', {
        type: 'boolean',
        default: true,
        describe: 'use the KV-cache decoder where the export has one (--no-cache to compare)',
      }) as never,
  handler: async (args) => {
    const { translateFile } = await import('../stages/translateFile.js');
    await translateFile(
      {
        model: args.model,
        input: args.input,
        output: args.output,
        numBeams: args['num-beams'],
        nbest: args.nbest,
        maxLength: args['max-length'],
        lengthPenalty: args['length-penalty'],
        inputFormat: args['input-format'],
        batchSize: positive(args['batch-size'], 'batch-size'),
        chunkLines: positive(args['chunk-lines'], 'chunk-lines'),
        threads: args.threads,
        cache: args.cache,
        dtype: args.dtype,
      },
      log,
    );
  },
};

interface LabelArgs {
  model: string;
  input: string;
  output: string;
  temperature: number;
  'batch-size': number;
  'chunk-lines': number;
  'max-length'?: number;
  threads: number;
  dtype: DtypeChoice;
}

export const labelCommand: CommandModule<object, LabelArgs> = {
  command: 'label',
  describe: 'soft labels from an ONNX classifier: logits, softmax(logits / T) and the label name per line',
  builder: (y) =>
    fileJobOptions(
      y,
      'model folder: config.json (id2label), tokenizer.json, onnx/model.onnx',
      'one text per line',
      2000,
    )
      .option('temperature', { alias: 'T', type: 'number', default: 1 })
      .option('batch-size', { type: 'number', default: 32 })
      .option('max-length', {
        type: 'number',
        describe: 'truncate inputs to this many tokens (default: max_position_embeddings)',
      }) as never,
  handler: async (args) => {
    const { labelFile } = await import('../stages/labelFile.js');
    await labelFile(
      {
        model: args.model,
        input: args.input,
        output: args.output,
        temperature: args.temperature,
        batchSize: positive(args['batch-size'], 'batch-size'),
        chunkLines: positive(args['chunk-lines'], 'chunk-lines'),
        maxLength: args['max-length'],
        threads: args.threads,
        dtype: args.dtype,
      },
      log,
    );
  },
};

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${n}`);
  return n;
}
