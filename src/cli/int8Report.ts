// kd int8-report: trained models in fp32 and int8 side by side (BLEU or accuracy, speed, size), in one run.
import type { CommandModule } from 'yargs';

interface Args {
  prepare: string;
  model: string[];
  teacher?: string;
  beam: number;
  'batch-size': number;
  'length-penalty': number;
  'max-length': number;
  out: string;
}

export const int8ReportCommand: CommandModule<object, Args> = {
  command: 'int8-report',
  describe:
    "trained students in fp32 and int8 (kd export --quantize int8's graphs) side by side: BLEU greedy and beam or accuracy, speed and size, measured as the eval stage does, in one run",
  builder: (y) =>
    y
      .option('prepare', {
        type: 'string',
        demandOption: true,
        describe: "the pipeline's prepare stage folder (its data/test.* and vocabulary), e.g. models/demo/prepare-*",
      })
      .option('model', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'train stage folders, all translation models or all classifiers, e.g. models/demo/student-*',
      })
      .option('teacher', {
        type: 'string',
        describe:
          "the teacher's folder: translation, also evaluated (fidelity columns); classifiers: required (agreement)",
      })
      .option('beam', { type: 'number', default: 5, describe: 'translation: beam size beside greedy' })
      .option('batch-size', { type: 'number', default: 64 })
      .option('length-penalty', { type: 'number', default: 1 })
      .option('max-length', {
        type: 'number',
        default: 0,
        describe: 'translation: decoder length (0: 1.5 x source + 10, as eval.maxLength)',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        default: 'eval/int8',
        describe: 'folder for report.md and report.json',
      }) as never,
  handler: async (args) => {
    const { int8Report } = await import('../stages/int8Report.js');
    const r = await int8Report(
      {
        prepareDir: args.prepare,
        models: args.model,
        teacher: args.teacher,
        beam: args.beam,
        batchSize: args['batch-size'],
        lengthPenalty: args['length-penalty'],
        maxLength: args['max-length'],
        outDir: args.out,
      },
      (m) => process.stderr.write(`${m}\n`),
    );
    process.stdout.write(r.markdown);
  },
};
