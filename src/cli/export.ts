// kd export: a trained translation model (a train stage's folder) to the Hugging Face ONNX layout.
import type { CommandModule } from 'yargs';

interface Args { model: string; tokenizer?: string; out: string; 'max-length': number; 'num-beams': number }

export const exportCommand: CommandModule<object, Args> = {
  command: 'export',
  describe: 'export a trained translation model to ONNX (Hugging Face layout: kd translate, onnxruntime and transformers.js load it)',
  builder: (y) => y
    .option('model', { type: 'string', demandOption: true, describe: 'a train stage folder (result.json, best/), e.g. models/demo/teacher-*' })
    .option('tokenizer', { type: 'string', describe: "the model's kd tokenizer.json (default: the prepare stage's beside the model)" })
    .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'folder to write' })
    .option('max-length', { type: 'number', default: 256, describe: "generation_config's max_length" })
    .option('num-beams', { type: 'number', default: 5, describe: "generation_config's num_beams" }) as never,
  handler: async (args) => {
    const { exportTrainedTranslation } = await import('../export/exportTrained.js');
    const out = await exportTrainedTranslation(args.model, args.tokenizer, args.out, { maxLength: args['max-length'], numBeams: args['num-beams'] });
    process.stdout.write(`exported ${out.files.length} files to ${args.out}/ (${out.megabytes.toFixed(1)} MB): ${out.files.join(', ')}\n`);
  },
};
