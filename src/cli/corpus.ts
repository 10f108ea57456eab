// kd corpus ddtp --src en --tgt de: build a parallel corpus from Debian's description translations.
import type { CommandModule } from 'yargs';

interface Args { kind: string; src: string; tgt: string; 'lists-dir': string; out?: string; dev: number; test: number;
  'max-chars': number; 'max-length-ratio': number; 'min-chars': number }

export const corpusCommand: CommandModule<object, Args> = {
  command: 'corpus <kind>',
  describe: 'build a bundled corpus (ddtp: parallel sentences from Debian package-description translations)',
  builder: (y) => y
    .positional('kind', { choices: ['ddtp'], demandOption: true })
    .option('src', { type: 'string', default: 'en' })
    .option('tgt', { type: 'string', default: 'de' })
    .option('lists-dir', { type: 'string', default: '/var/lib/apt/lists', describe: "apt's index folder" })
    .option('out', { type: 'string', describe: 'output folder (default corpora/ddtp-SRC-TGT)' })
    .option('dev', { type: 'number', default: 1000 })
    .option('test', { type: 'number', default: 1500 })
    .option('max-chars', { type: 'number', default: 200 })
    .option('max-length-ratio', { type: 'number', default: 2.5 })
    .option('min-chars', { type: 'number', default: 2 }) as never,
  handler: async (args) => {
    const { run } = await import('../stages/corpus.js');
    const result = await run({
      src: args.src, tgt: args.tgt, listsDir: args['lists-dir'], outDir: args.out ?? `corpora/ddtp-${args.src}-${args.tgt}`,
      dev: args.dev, test: args.test,
      rules: { maxChars: args['max-chars'], maxLengthRatio: args['max-length-ratio'], minChars: args['min-chars'] },
    });
    process.stdout.write(`${JSON.stringify(result.splits)}\n${JSON.stringify(result.counts, null, 1)}\nwritten under ${result.outDir}/\n`);
  },
};
