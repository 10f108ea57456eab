// The kd command line: one thin yargs module per command; each handler imports its stage lazily,
// so `kd score` never loads a model backend.
import { readFileSync } from 'node:fs';

import yargs, { type CommandModule } from 'yargs';

import { packagePath } from '../util/packageRoot.js';
import { benchCommand } from './bench.js';
import { benchMetricsCommand } from './benchMetrics.js';
import { corpusCommand } from './corpus.js';
import { exportCommand } from './export.js';
import { int8ReportCommand } from './int8Report.js';
import { peerCommand } from './peer.js';
import { demoCommand, runCommand, stageCommands } from './run.js';
import { schemaCommand } from './schema.js';
import { scoreCommand } from './score.js';
import { labelCommand, translateCommand } from './translate.js';
import { workerCommand } from './worker.js';

/** kd's version, from its package.json */
const kdVersion = () =>
  String((JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version);

const COMMANDS: CommandModule<any, any>[] = [
  demoCommand,
  runCommand,
  ...stageCommands,
  corpusCommand,
  scoreCommand,
  peerCommand,
  translateCommand,
  labelCommand,
  exportCommand,
  int8ReportCommand,
  benchCommand,
  benchMetricsCommand,
  schemaCommand,
  workerCommand,
];

/**
 * `-i -` and `-o -` as `-i=-`, `-o=-`: without short-option groups (sacrebleu's -tok, -lc) yargs
 * reads a lone `-` after an option as a positional and the option as empty.
 */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const prev = out[out.length - 1];
    if (arg === '-' && prev !== undefined && ['-i', '--input', '-o', '--output'].includes(prev))
      out[out.length - 1] = `${prev}=-`;
    else out.push(arg);
  }
  return out;
}

export function buildCli(argv: string[]) {
  let cli = yargs(joinDashValues(argv))
    .scriptName('kd')
    .usage('$0 <command> [options]\n\nKnowledge distillation of NLP models.')
    .strict()
    // sacrebleu's flags are multi-letter single-dash (-tok, -lc, -sl): no short-option groups
    .parserConfiguration({ 'short-option-groups': false })
    .demandCommand(1, 'name a command (kd --help lists them)')
    .recommendCommands()
    .help()
    .version(kdVersion())
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      // a .check() that returns its message hands it over as err, a string: a usage error too
      throw err instanceof Error ? err : new UsageError(typeof err === 'string' ? err : msg);
    });
  for (const command of COMMANDS) cli = cli.command(command);
  return cli;
}

export class UsageError extends Error {
  name = 'UsageError';
}

/** Runs kd with the given arguments; errors become one clear line on stderr and an exit code. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli(argv).parseAsync();
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`kd: ${e.message}\n`);
    if (e.name === 'UsageError') process.stderr.write('run kd --help for usage\n');
    if (process.env.KD_DEBUG) process.stderr.write(`${e.stack}\n`);
    // a usage error or a pipeline file's bad key or value: the user's to fix, exit 2 (README)
    process.exitCode = e.name === 'UsageError' || e.name === 'ConfigError' ? 2 : 1;
  }
}
