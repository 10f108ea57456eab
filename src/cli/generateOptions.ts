// kd generate's own flags: how this process takes part in the generate stage. --shard I/N decodes
// one static share of the chunks (batch schedulers: Slurm arrays, Kubernetes Indexed Jobs, xargs
// over SSH), --merge assembles the stage once every shard is done, --queue hands the chunks to
// `kd worker`s through Redis (src/fleet/). Without them, kd generate decodes everything itself.
import type { Argv } from 'yargs';

import { DEFAULT_QUEUE } from '../fleet/jobs.js';
import type { GenerateMode } from '../stages/generate.js';

export interface GenerateArgs {
  shard?: string;
  merge?: boolean;
  queue?: string;
  'queue-name'?: string;
  attempts?: number;
  'backoff-ms'?: number;
  window?: number;
  'poll-ms'?: number;
}

const POSITIVE = ['attempts', 'backoff-ms', 'window', 'poll-ms'] as const;

/** '2/3' -> shard 2 of 3; a usage message for anything else. */
export function parseShard(text: string): { index: number; count: number } | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(count >= 1 && index >= 1 && index <= count))
    return `--shard wants I/N with 1 <= I <= N (shard I of N), got '${text}'`;
  return { index, count };
}

export function generateOptions<T>(y: Argv<T>) {
  return (
    y
      .option('shard', {
        type: 'string',
        describe:
          'I/N: decode only shard I of N (chunk c belongs to shard (c mod N) + 1), into the stage folder, without finishing the stage; the stages before generate must be finished',
      })
      .option('merge', {
        type: 'boolean',
        describe:
          'check that every chunk is there once (the shards are done) and assemble the stage outputs; decodes nothing',
      })
      .option('queue', {
        type: 'string',
        describe:
          'redis://HOST:PORT: enqueue one job per missing chunk for `kd worker`s and wait, collecting their results',
      })
      .option('queue-name', {
        type: 'string',
        default: DEFAULT_QUEUE,
        describe: '--queue: the BullMQ queue (the workers must name the same)',
      })
      .option('attempts', { type: 'number', default: 3, describe: '--queue: tries per chunk before the run fails' })
      .option('backoff-ms', {
        type: 'number',
        default: 2000,
        describe: "--queue: a failed chunk's first retry waits this long, doubled at each further try",
      })
      .option('window', {
        type: 'number',
        default: 128,
        describe: '--queue: chunk jobs in Redis at once (keep it above the number of workers)',
      })
      .option('poll-ms', { type: 'number', default: 250, describe: '--queue: how often finished chunks are collected' })
      .conflicts('shard', ['merge', 'queue'])
      .conflicts('merge', 'queue')
      // a returned string is a usage error (exit 2); a thrown one would exit 1
      .check((argv) => {
        const a = argv as GenerateArgs;
        if (a.shard !== undefined) {
          const shard = parseShard(a.shard);
          if (typeof shard === 'string') return shard;
        }
        const bad = POSITIVE.find((k) => a[k] !== undefined && !(Number.isInteger(a[k]) && a[k]! >= 1));
        return bad ? `--${bad} must be a positive integer, got ${a[bad]}` : true;
      })
  );
}

/** The generate mode these flags ask for (undefined: the whole stage, here). */
export async function generateMode(args: GenerateArgs): Promise<GenerateMode | undefined> {
  if (args.shard !== undefined) return { shard: parseShard(args.shard) as { index: number; count: number } };
  if (args.merge) return { merge: true };
  if (args.queue === undefined) return undefined;
  const [{ queueExecutor }, { redisConnection }, { codeVersion }, { packagePath }] = await Promise.all([
    import('../fleet/coordinator.js'),
    import('../fleet/redisConnection.js'),
    import('../pipeline/stageCache.js'),
    import('../util/packageRoot.js'),
  ]);
  redisConnection(args.queue); // a bad URL is an error now, before any stage runs
  return {
    executor: queueExecutor({
      url: args.queue,
      name: args['queue-name'] ?? DEFAULT_QUEUE,
      codeVersion: codeVersion(packagePath('src')),
      attempts: args.attempts ?? 3,
      backoffMs: args['backoff-ms'] ?? 2000,
      window: args.window ?? 128,
      pollMs: args['poll-ms'] ?? 250,
    }),
  };
}

/** Whether the mode splits the stage (shard or merge): the stages before it must be finished, and no pipeline lock is taken for shards. */
export const splitsStage = (mode?: GenerateMode) => !!(mode?.shard || mode?.merge);
