// kd worker: decodes generate chunks for `kd generate PIPELINE --queue URL`, on any machine that
// reaches Redis and the teacher's folder (src/fleet/worker.ts). Runs until stopped (SIGINT or
// SIGTERM finish the chunk in hand first) or until it refuses a job (exit 1, saying why).
import type { CommandModule } from 'yargs';

import { DEFAULT_QUEUE } from '../fleet/jobs.js';

interface Args {
  queue: string;
  'queue-name': string;
  teacher?: string;
  'lock-ms': number;
  'stalled-ms': number;
  'max-stalled': number;
}

export const workerCommand: CommandModule<object, Args> = {
  command: 'worker',
  describe: 'decode generate chunks from a Redis queue (kd generate PIPELINE --queue URL); any number, on any machine',
  builder: (y) =>
    y
      .option('queue', {
        type: 'string',
        demandOption: true,
        describe: 'redis://HOST:PORT, as given to kd generate --queue',
      })
      .option('queue-name', {
        type: 'string',
        default: DEFAULT_QUEUE,
        describe: "the BullMQ queue (kd generate's --queue-name)",
      })
      .option('teacher', {
        type: 'string',
        describe:
          "this machine's copy of the teacher folder (default: the path the job names); its content must hash as the job says",
      })
      .option('lock-ms', {
        type: 'number',
        default: 30_000,
        describe: "a job's lock: a chunk whose worker died returns to the queue this long after",
      })
      .option('stalled-ms', {
        type: 'number',
        default: 30_000,
        describe: 'how often this worker looks for jobs whose lock expired',
      })
      .option('max-stalled', {
        type: 'number',
        default: 5,
        describe: 'times a chunk may lose its worker before it fails',
      })
      .check((a) => {
        const bad = (['lock-ms', 'stalled-ms', 'max-stalled'] as const).find(
          (k) => !(Number.isInteger(a[k]) && a[k] >= 1),
        );
        return bad ? `--${bad} must be a positive integer, got ${a[bad]}` : true;
      }) as never,
  handler: async (args) => {
    const [{ runWorker }, { redisConnection }, { codeVersion }, { packagePath }] = await Promise.all([
      import('../fleet/worker.js'),
      import('../fleet/redisConnection.js'),
      import('../pipeline/stageCache.js'),
      import('../util/packageRoot.js'),
    ]);
    redisConnection(args.queue); // a bad URL: a usage error before anything starts
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
    await runWorker(
      {
        url: args.queue,
        name: args['queue-name'],
        codeVersion: codeVersion(packagePath('src')),
        teacher: args.teacher,
        lockMs: args['lock-ms'],
        stalledMs: args['stalled-ms'],
        maxStalled: args['max-stalled'],
      },
      (m) => process.stderr.write(`${m}\n`),
      stop.signal,
    );
  },
};
