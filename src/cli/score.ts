// kd score REF [REF ...] --input HYP: sacrebleu's command line, flag for flag where it has one.
import type { CommandModule } from 'yargs';

interface ScoreArgs {
  refs: string[];
  input?: string;
  metrics: string[];
  tokenize: string;
  lowercase: boolean;
  'smooth-method': string;
  'smooth-value'?: number;
  'chrf-char-order': number;
  'chrf-word-order': number;
  'chrf-beta': number;
  'chrf-whitespace': boolean;
  'chrf-lowercase': boolean;
  'chrf-eps-smoothing': boolean;
  'ter-case-sensitive': boolean;
  'sentence-level': boolean;
  format: 'json' | 'text';
  width: number;
}

export const scoreCommand: CommandModule<object, ScoreArgs> = {
  command: 'score <refs..>',
  describe: 'score a hypothesis file against reference files (sacreBLEU-exact BLEU, chrF, chrF++, TER)',
  builder: (y) =>
    y
      .positional('refs', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'reference files, one stream each',
      })
      .option('input', { alias: 'i', type: 'string', describe: 'hypothesis file (default or -: standard input)' })
      .option('metrics', {
        alias: 'm',
        type: 'string',
        array: true,
        default: ['bleu'],
        choices: ['bleu', 'chrf', 'ter'],
      })
      .option('tokenize', {
        alias: 'tok',
        type: 'string',
        default: '13a',
        choices: ['13a', 'intl', 'none', 'char', 'zh'],
      })
      .option('lowercase', { alias: 'lc', type: 'boolean', default: false, describe: 'lowercased BLEU' })
      .option('smooth-method', {
        alias: 's',
        type: 'string',
        default: 'exp',
        choices: ['exp', 'floor', 'add-k', 'none'],
      })
      .option('smooth-value', { alias: 'sv', type: 'number', describe: 'floor: 0.1, add-k: 1 unless given' })
      .option('chrf-char-order', { alias: 'cc', type: 'number', default: 6 })
      .option('chrf-word-order', { alias: 'cw', type: 'number', default: 0, describe: '2 gives chrF++' })
      .option('chrf-beta', { type: 'number', default: 2 })
      .option('chrf-whitespace', { type: 'boolean', default: false })
      .option('chrf-lowercase', { type: 'boolean', default: false })
      .option('chrf-eps-smoothing', { type: 'boolean', default: false })
      .option('ter-case-sensitive', { type: 'boolean', default: false })
      .option('sentence-level', {
        alias: 'sl',
        type: 'boolean',
        default: false,
        describe: 'one line of scores per sentence',
      })
      .option('format', { alias: 'f', choices: ['json', 'text'] as const, default: 'text' as const })
      .option('width', { alias: 'w', type: 'number', default: 2, describe: 'decimals in text output' }),
  handler: async (args) => {
    const { loadScoringData, scoreCorpus, scoreSentences } = await import('../stages/score.js');
    const { formatScoreText } = await import('../report/scoreText.js');
    const config = {
      refs: args.refs,
      input: args.input ?? '-',
      metrics: args.metrics as Array<'bleu' | 'chrf' | 'ter'>,
      bleu: {
        tokenize: args.tokenize,
        lowercase: args.lowercase,
        smoothMethod: args['smooth-method'] as 'exp',
        smoothValue: args['smooth-value'],
      },
      chrf: {
        charOrder: args['chrf-char-order'],
        wordOrder: args['chrf-word-order'],
        beta: args['chrf-beta'],
        whitespace: args['chrf-whitespace'],
        lowercase: args['chrf-lowercase'],
        epsSmoothing: args['chrf-eps-smoothing'],
      },
      ter: { caseSensitive: args['ter-case-sensitive'] },
    };
    const { hyps, refs } = await loadScoringData(config);
    const out: string[] = [];
    if (args['sentence-level']) {
      let line = 0;
      for (const scores of scoreSentences(config, hyps, refs)) {
        line++;
        out.push(
          args.format === 'json'
            ? JSON.stringify({ line, metrics: scores })
            : `${line}\t${formatScoreText(scores, args.width, false).join('\t')}`,
        );
      }
    } else {
      const scores = scoreCorpus(config, hyps, refs);
      out.push(
        ...(args.format === 'json'
          ? [`[\n${scores.map((s) => ` ${JSON.stringify(s)}`).join(',\n')}\n]`]
          : formatScoreText(scores, args.width, true)),
      );
    }
    process.stdout.write(out.join('\n') + '\n');
  },
};
