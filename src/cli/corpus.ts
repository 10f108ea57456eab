// kd corpus ddtp --src en --tgt de: a parallel corpus from Debian's description translations.
// kd corpus debian-sections: a text-classification dataset from Debian's package index.
import type { CommandModule } from 'yargs';

interface Args {
  kind: string;
  src: string;
  tgt: string;
  'lists-dir': string;
  out?: string;
  dev?: number;
  test?: number;
  'max-chars'?: number;
  'max-length-ratio': number;
  'min-chars': number;
  'min-class-size': number;
  transfer: number;
}

export const corpusCommand: CommandModule<object, Args> = {
  command: 'corpus <kind>',
  describe:
    'build a bundled corpus (ddtp: parallel sentences from Debian package-description translations; debian-sections: package descriptions labelled with their section)',
  builder: (y) =>
    y
      .positional('kind', { choices: ['ddtp', 'debian-sections'], demandOption: true })
      .option('src', { type: 'string', default: 'en' })
      .option('tgt', { type: 'string', default: 'de' })
      .option('lists-dir', { type: 'string', default: '/var/lib/apt/lists', describe: "apt's index folder" })
      .option('out', {
        type: 'string',
        describe: 'output folder (default corpora/ddtp-SRC-TGT or corpora/debian-sections)',
      })
      .option('dev', {
        type: 'number',
        describe: 'ddtp: dev pairs (default 1000); debian-sections: share of each class (default 0.05)',
      })
      .option('test', {
        type: 'number',
        describe: 'ddtp: test pairs (default 1500); debian-sections: share of each class (default 0.1)',
      })
      .option('transfer', {
        type: 'number',
        default: 0.3,
        describe: 'debian-sections: share of each class held out unlabelled',
      })
      .option('min-class-size', {
        type: 'number',
        default: 400,
        describe: 'debian-sections: smaller sections merge into "other"',
      })
      .option('max-chars', { type: 'number', describe: 'longest line kept (default ddtp 200, debian-sections 400)' })
      .option('max-length-ratio', { type: 'number', default: 2.5 })
      .option('min-chars', { type: 'number', default: 2 }) as never,
  handler: async (args) => {
    if (args.kind === 'debian-sections') {
      const { run } = await import('../stages/sectionsCorpus.js');
      const result = await run({
        listsDir: args['lists-dir'],
        outDir: args.out ?? 'corpora/debian-sections',
        rules: {
          minClassSize: args['min-class-size'],
          maxChars: args['max-chars'] ?? 400,
          fractions: { dev: args.dev ?? 0.05, test: args.test ?? 0.1, transfer: args.transfer },
        },
      });
      process.stdout.write(
        `${JSON.stringify(result.splits)}, ${result.classes} classes\n${JSON.stringify(result.counts)}\nwritten under ${result.outDir}/\n`,
      );
      return;
    }
    const { run } = await import('../stages/corpus.js');
    const result = await run({
      src: args.src,
      tgt: args.tgt,
      listsDir: args['lists-dir'],
      outDir: args.out ?? `corpora/ddtp-${args.src}-${args.tgt}`,
      dev: args.dev ?? 1000,
      test: args.test ?? 1500,
      rules: {
        maxChars: args['max-chars'] ?? 200,
        maxLengthRatio: args['max-length-ratio'],
        minChars: args['min-chars'],
      },
    });
    process.stdout.write(
      `${JSON.stringify(result.splits)}\n${JSON.stringify(result.counts, null, 1)}\nwritten under ${result.outDir}/\n`,
    );
  },
};
