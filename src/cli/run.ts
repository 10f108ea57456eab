// kd run PIPELINE.yaml and kd demo: run a pipeline's stages, skipping the finished ones.
import type { CommandModule } from 'yargs';
import { packagePath } from '../util/packageRoot.js';

interface Args { pipeline?: string; workdir?: string; 'report-dir'?: string; backend?: string }

async function runFile(file: string, args: Args) {
  const { loadPipeline } = await import('../pipeline/config.js');
  const { runPipeline } = await import('../pipeline/run.js');
  const config = loadPipeline(file);
  if (args.backend) config.backend = args.backend;
  const t0 = performance.now();
  const r = await runPipeline(config, { workDir: args.workdir, reportDir: args['report-dir'] });
  process.stdout.write(`\n${r.markdown}\nreport: ${r.reportMd} (and ${r.reportJson}); wall time ${((performance.now() - t0) / 60000).toFixed(1)} min\n`);
}

const common = (y: import('yargs').Argv<Args>) => y
  .option('workdir', { type: 'string', describe: 'where stage outputs go (default models/NAME)' })
  .option('report-dir', { type: 'string', describe: 'where the report goes (default eval/NAME)' })
  .option('backend', { type: 'string', choices: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'], describe: 'tfjs backend (default: fastest available)' });

export const runCommand: CommandModule<object, Args> = {
  command: 'run <pipeline>',
  describe: 'run a pipeline file (prepare, teacher, generate, students, eval, report); finished stages are skipped',
  builder: (y) => common(y.positional('pipeline', { type: 'string', demandOption: true }) as never),
  handler: (args) => runFile(args.pipeline!, args),
};

export const demoCommand: CommandModule<object, Args> = {
  command: 'demo',
  describe: 'the main job: pipelines/demo.yaml on the bundled DDTP en-de corpus, then print the report',
  builder: (y) => common(y as never),
  handler: (args) => runFile(packagePath('pipelines', 'demo.yaml'), args),
};
