// kd bench-metrics: how fast the metrics score a large test set (one core, real text).
import type { CommandModule } from 'yargs';

import { packagePath } from '../util/packageRoot.js';

interface Args {
  pairs: number;
  out: string;
}

export const benchMetricsCommand: CommandModule<object, Args> = {
  command: 'bench-metrics',
  describe: 'time corpus BLEU and chrF over N sentence pairs (one core) and write eval/bench/metrics.{json,md}',
  builder: (y) =>
    y.option('pairs', { type: 'number', default: 100_000 }).option('out', { type: 'string', default: 'eval/bench' }),
  handler: async (args) => {
    const { runMetricsBench } = await import('../bench/metricsBench.js');
    const { writeJsonAtomic, writeTextAtomic } = await import('../util/atomicWrite.js');
    const fixture = packagePath('test', 'fixtures', 'sacrebleu-vectors.json');
    const r = runMetricsBench(args.pairs, fixture);
    const table = [
      '| pairs | BLEU s | chrF s | total s | node |',
      '|---:|---:|---:|---:|---|',
      `| ${r.pairs} | ${r.bleuSeconds.toFixed(2)} | ${r.chrfSeconds.toFixed(2)} | ${r.totalSeconds.toFixed(2)} | ${r.node} |`,
    ].join('\n');
    await writeJsonAtomic(`${args.out}/metrics.json`, r);
    await writeTextAtomic(`${args.out}/metrics.md`, `# Metric speed\n\n${table}\n`);
    process.stdout.write(`${table}\n\nwritten: ${args.out}/metrics.json, ${args.out}/metrics.md\n`);
  },
};
