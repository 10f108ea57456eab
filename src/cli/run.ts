// kd run PIPELINE.yaml and kd demo: run a pipeline's stages, skipping the finished ones. A
// pipeline file's `task` (translate, the default, or classify) picks the pipeline.
import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { packagePath } from '../util/packageRoot.js';

interface Args { pipeline?: string; which?: string; workdir?: string; 'report-dir'?: string; backend?: string }

/** Runs with the pipeline folder's lock held (one kd run per pipeline; src/pipeline/lock.ts). */
async function locked<R>(workDir: string, body: () => Promise<R>): Promise<R> {
  const { lockPipeline } = await import('../pipeline/lock.js');
  const release = lockPipeline(workDir);
  try {
    return await body();
  } finally {
    release();
  }
}

async function runFile(file: string, args: Args) {
  const { readPipelineFile, loadPipeline } = await import('../pipeline/config.js');
  const { task, raw } = readPipelineFile(file);
  const t0 = performance.now();
  const opts = { workDir: args.workdir, reportDir: args['report-dir'] };
  let r: { markdown: string; reportMd: string; reportJson: string };
  if (task === 'classify') {
    const { loadClassifyPipeline } = await import('../pipeline/classifyConfig.js');
    const { runClassifyPipeline } = await import('../pipeline/classifyRun.js');
    const config = loadClassifyPipeline(file, raw);
    if (args.backend) config.backend = args.backend;
    r = await locked(opts.workDir ?? join('models', config.name), () => runClassifyPipeline(config, opts));
  } else {
    const { runPipeline } = await import('../pipeline/run.js');
    const config = loadPipeline(file, raw);
    if (args.backend) config.backend = args.backend;
    r = await locked(opts.workDir ?? join('models', config.name), () => runPipeline(config, opts));
  }
  process.stdout.write(`\n${r.markdown}\nreport: ${r.reportMd} (and ${r.reportJson}); wall time ${((performance.now() - t0) / 60000).toFixed(1)} min\n`);
}

const common = (y: import('yargs').Argv<Args>) => y
  .option('workdir', { type: 'string', describe: 'where stage outputs go (default models/NAME)' })
  .option('report-dir', { type: 'string', describe: 'where the report goes (default eval/NAME)' })
  .option('backend', { type: 'string', choices: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'], describe: 'tfjs backend (default: fastest available)' });

export const runCommand: CommandModule<object, Args> = {
  command: 'run <pipeline>',
  describe: 'run a pipeline file (translation: prepare, teacher, generate, students, eval, report; task: classify: prepare, teacher, label, students, eval, report); finished stages are skipped',
  builder: (y) => common(y.positional('pipeline', { type: 'string', demandOption: true }) as never),
  handler: (args) => runFile(args.pipeline!, args),
};

const DEMOS: Record<string, string> = { translate: 'demo.yaml', classify: 'demo-sections.yaml' };

export const demoCommand: CommandModule<object, Args> = {
  command: 'demo [which]',
  describe: 'the main job: pipelines/demo.yaml (translation, DDTP en-de) or, with "classify", pipelines/demo-sections.yaml (Debian sections); prints the report',
  builder: (y) => common(y.positional('which', { choices: Object.keys(DEMOS), default: 'translate' }) as never),
  handler: (args) => runFile(packagePath('pipelines', DEMOS[args.which ?? 'translate']), args),
};
