// kd export: a trained model (a train stage's folder: translation or Transformer classifier) to the Hugging Face ONNX layout.
import type { CommandModule } from 'yargs';

interface Args {
  model: string;
  tokenizer?: string;
  teacher?: string;
  labels?: string;
  out: string;
  'max-length': number;
  'num-beams': number;
  quantize?: 'int8';
  'beam-search': boolean;
}

export const exportCommand: CommandModule<object, Args> = {
  command: 'export',
  describe:
    'export a trained translation model or Transformer classifier to ONNX (Hugging Face layout: kd translate / kd label, onnxruntime and transformers.js load it)',
  builder: (y) =>
    y
      .option('model', {
        type: 'string',
        demandOption: true,
        describe: 'a train stage folder (result.json, best/), e.g. models/demo/teacher-*',
      })
      .option('tokenizer', {
        type: 'string',
        describe: "translation: the model's kd tokenizer.json (default: the prepare stage's beside the model)",
      })
      .option('teacher', {
        type: 'string',
        describe:
          "translation, a student of a pretrained teacher: the teacher's folder, whose vocabulary, tokenizer files and special ids the export takes (default: the one the prepare stage beside the model names in teacher.json)",
      })
      .option('labels', {
        type: 'string',
        describe: "classifier: a JSON list of label names in class order (default: the prepare stage's labels.json)",
      })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'folder to write' })
      .option('max-length', { type: 'number', default: 256, describe: "translation: generation_config's max_length" })
      .option('num-beams', { type: 'number', default: 5, describe: "translation: generation_config's num_beams" })
      .option('beam-search', {
        type: 'boolean',
        default: true,
        describe:
          'translation: also onnx/beam_search_model.onnx, the whole beam search as one onnxruntime graph, which kd translate runs (a second copy of the weights; transformers.js ignores it; --no-beam-search leaves it out)',
      })
      .option('quantize', {
        choices: ['int8'] as const,
        describe:
          "also write each ONNX file quantized: int8 weights, activations quantized at run time (NAME_quantized.onnx beside NAME.onnx: transformers.js dtype 'q8', kd translate/label --dtype q8)",
      }) as never,
  handler: async (args) => {
    const { exportTrained } = await import('../export/exportTrained.js');
    const out = await exportTrained(args.model, args.out, {
      tokenizer: args.tokenizer,
      teacher: args.teacher,
      labels: args.labels,
      maxLength: args['max-length'],
      numBeams: args['num-beams'],
      quantize: args.quantize,
      beamSearch: args['beam-search'],
    });
    process.stdout.write(
      `exported ${out.files.length} files to ${args.out}/ (${out.megabytes.toFixed(1)} MB): ${out.files.join(', ')}\n`,
    );
  },
};
