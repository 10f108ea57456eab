// kd run PIPELINE.yaml and kd demo: run a pipeline's stages, skipping the finished ones. A
// pipeline file's `task` (translate, the default, or classify) picks the pipeline.
import { join } from 'node:path';

import type { CommandModule } from 'yargs';

import type { StageControl } from '../pipeline/stageRunner.js';
import { ConfigError } from '../util/errors.js';
import { packagePath } from '../util/packageRoot.js';
import { type GenerateArgs, generateMode, generateOptions, splitsStage } from './generateOptions.js';

interface Args extends GenerateArgs {
  pipeline?: string;
  which?: string;
  workdir?: string;
  'report-dir'?: string;
  backend?: string;
  'dry-run'?: boolean;
  only?: string;
  force?: string;
  until?: string;
  'keep-stages'?: boolean;
}

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
  const { loadPipelineFile } = await import('../pipeline/pipelineFile.js');
  const { runPipeline } = await import('../pipeline/runner.js');
  const pipeline = loadPipelineFile(file);
  const { task, config } = pipeline;
  if (args.backend) config.backend = args.backend;
  const t0 = performance.now();
  // a classification pipeline's generate step is its label stage
  const group = (g?: string) => (g === 'generate' && task === 'classify' ? 'label' : g);
  const control: StageControl = {
    dryRun: args['dry-run'],
    only: group(args.only),
    force: group(args.force),
    until: group(args.until),
    keepStages: args['keep-stages'],
  };
  // kd generate --shard / --merge / --queue (./generateOptions.ts): shards and the merge need the stages before generate finished
  const mode = await generateMode(args);
  if (mode && task === 'classify')
    throw new ConfigError(
      `--shard, --merge and --queue split a translation pipeline's generate stage; ${file} is a classify pipeline`,
    );
  if (splitsStage(mode)) control.only = 'generate';
  const opts = { workDir: args.workdir, reportDir: args['report-dir'], control, generate: mode };
  const workDir = opts.workDir ?? join('models', config.name);
  let r: { markdown: string; reportMd: string; reportJson: string; reportHtml: string };
  try {
    // shards run side by side in one pipeline folder: no lock (nor its sweep of temporaries, which may be another shard's)
    r = mode?.shard ? await runPipeline(pipeline, opts) : await locked(workDir, () => runPipeline(pipeline, opts));
  } catch (e) {
    // a shard's end: its chunks are done, the stage is not
    if ((e as Error).name === 'StageIncomplete') {
      process.stderr.write(`kd ${(e as Error).message} (${((performance.now() - t0) / 60000).toFixed(1)} min)\n`);
      return;
    }
    // a stage command's end (kd prepare | teacher | generate | label | train | eval): not an error
    if ((e as Error).name !== 'StopAfter') throw e;
    process.stderr.write(
      `kd ${args.until}: done in ${((performance.now() - t0) / 60000).toFixed(1)} min (the later stages did not run)\n`,
    );
    return;
  }
  if (control.dryRun) {
    process.stdout.write(`${r.markdown}\n`);
    return;
  }
  process.stdout.write(
    `\n${r.markdown}\nreport: ${r.reportMd} (and ${r.reportJson}, ${r.reportHtml}); wall time ${((performance.now() - t0) / 60000).toFixed(1)} min\n`,
  );
}

const GROUPS = ['prepare', 'teacher', 'generate', 'train', 'eval'];

const common = (y: import('yargs').Argv<Args>) =>
  y
    .option('dry-run', {
      type: 'boolean',
      describe: 'print the plan (each stage: cached, resume or run, and why) and run nothing',
    })
    .option('only', {
      type: 'string',
      choices: GROUPS,
      describe: 'run only this group of stages (the stages before it must be finished)',
    })
    .option('force', {
      type: 'string',
      choices: GROUPS,
      describe: 'make this group of stages again even where finished',
    })
    .option('keep-stages', {
      type: 'boolean',
      describe:
        "keep the finished stages an earlier kd version made (the code version in the pipeline folder's config.json) instead of re-running them because kd's code changed; a stage that would have to run is an error (e.g. kd report PIPELINE --keep-stages re-writes the report)",
    })
    .option('workdir', { type: 'string', describe: 'where stage outputs go (default models/NAME)' })
    .option('report-dir', { type: 'string', describe: 'where the report goes (default eval/NAME)' })
    .option('backend', {
      type: 'string',
      choices: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
      describe: 'tfjs backend (default: fastest available)',
    });

export const runCommand: CommandModule<object, Args> = {
  command: 'run <pipeline>',
  describe:
    'run a pipeline file (translation: prepare, teacher, generate, students, eval, report; task: classify: prepare, teacher, label, students, eval, report); finished stages are skipped',
  builder: (y) => common(y.positional('pipeline', { type: 'string', demandOption: true }) as never),
  handler: (args) => runFile(args.pipeline!, args),
};

/**
 * kd prepare | teacher | generate | train | eval | report PIPELINE: the pipeline up to that group of
 * stages (generate is a classification pipeline's label stage; report is the whole of kd run).
 */
export const stageCommands: CommandModule<object, Args>[] = [
  ...GROUPS.map(
    (group) =>
      ({
        command: `${group} <pipeline>`,
        describe: `run the pipeline's stages up to and including ${group === 'train' ? 'the students' : group === 'eval' ? 'every evaluation' : `its ${group} stage`} (with kd run's cache and resume rules), then stop`,
        builder: (y) => {
          const withPipeline = common(y.positional('pipeline', { type: 'string', demandOption: true }) as never);
          return (group === 'generate' ? generateOptions(withPipeline) : withPipeline) as never;
        },
        handler: (args: Args) => runFile(args.pipeline!, { ...args, until: group }),
      }) as CommandModule<object, Args>,
  ),
  {
    command: 'report <pipeline>',
    describe: 'run every stage of the pipeline and write its report (the same as kd run)',
    builder: (y) => common(y.positional('pipeline', { type: 'string', demandOption: true }) as never),
    handler: (args) => runFile(args.pipeline!, args),
  },
];

const DEMOS: Record<string, string> = { translate: 'demo.yaml', classify: 'demo-sections.yaml' };

export const demoCommand: CommandModule<object, Args> = {
  command: 'demo [which]',
  describe:
    'the main job: pipelines/demo.yaml (translation, DDTP en-de) or, with "classify", pipelines/demo-sections.yaml (Debian sections); prints the report',
  builder: (y) => common(y.positional('which', { choices: Object.keys(DEMOS), default: 'translate' }) as never),
  handler: (args) => runFile(packagePath('pipelines', DEMOS[args.which ?? 'translate']), args),
};
