// kd run, for either task: the frame every pipeline shares (its work and report folders, the
// stages cached on keys that hash their config, inputs and the code version, the resolved config
// written beside the artifacts, the three reports) around a task plan that only wires its stages
// (./translationPlan.ts: prepare -> teacher -> generate -> students -> eval; ./classifyPlan.ts:
// prepare -> [pretrain] -> teacher -> label -> students -> eval). What stages do lives in stages/.
import { join } from 'node:path';

import type { GenerateMode } from '../stages/generate.js';
import { readPeerFile } from '../stages/peerScore.js';
import { writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';
import { packagePath } from '../util/packageRoot.js';
import { classifyPlan } from './classifyPlan.js';
import type { LoadedPipeline } from './pipelineFile.js';
import { codeVersion, recordedCodeVersion, stageKey } from './stageCache.js';
import { type StageControl, StageRunner } from './stageRunner.js';
import { translationPlan } from './translationPlan.js';

export interface RunOptions {
  workDir?: string;
  reportDir?: string;
  log?: (m: string) => void;
  control?: StageControl;
  generate?: GenerateMode;
}

/** What a plan is given: its stage runner, the keyed `stage` call, and the run's settings. */
export interface PlanContext {
  stages: StageRunner;
  stage<R>(
    name: string,
    cfg: unknown,
    inputs: string[],
    body: (dir: string) => Promise<R>,
  ): Promise<{ dir: string; key: string; result: R }>;
  workDir: string;
  backend: string | undefined;
  log: (m: string) => void;
  generate?: GenerateMode;
}

/** A plan's results: report rows, and the report pages made from them with the frame's notes. */
export interface PlanOutcome<Row> {
  rows: Row[];
  notes: string[];
  /** rows: the plan's own and any others the frame adds (a peer's: stages/peerScore.ts) */
  markdown(rows: Row[], notes: string[]): string;
  html(rows: Row[], notes: string[]): string;
  json?: Record<string, unknown>; // added to report.json (e.g. the task)
}

export interface RunResult<Row = unknown> {
  markdown: string;
  reportMd: string;
  reportJson: string;
  reportHtml: string;
  rows: Row[];
  plan: unknown[];
}

/**
 * The pipeline's cost as its stages recorded it when each ran, grouped by kind (teacher, generate,
 * student, eval...): true of a report re-written from cached or kept stages, where this
 * invocation's own minutes are not the pipeline's.
 */
export function stageTimesNote(times: Array<{ stage: string; seconds: number | null }>): string {
  const groups = new Map<string, number>();
  let unknown = 0;
  for (const { stage, seconds } of times) {
    if (seconds === null) unknown++;
    else groups.set(stage.split('-')[0], (groups.get(stage.split('-')[0]) ?? 0) + seconds);
  }
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  const parts = [...groups].map(([g, sec]) => `${g} ${(sec / 60).toFixed(1)}`).join(', ');
  return (
    `Stage time: ${(total / 60).toFixed(1)} min in all, each stage's own as recorded when it ran (${parts || 'none'})` +
    (unknown ? `; ${unknown} stage(s) recorded no time.` : '.')
  );
}

export async function runPipeline(pipeline: LoadedPipeline, opts: RunOptions = {}): Promise<RunResult<any>> {
  const { config } = pipeline;
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const workDir = opts.workDir ?? join('models', config.name);
  const stages = new StageRunner(workDir, log, opts.control);
  const reportDir = opts.reportDir ?? join('eval', config.name);
  const code = opts.control?.keepStages ? recordedCodeVersion(workDir) : codeVersion(packagePath('src'));
  const t0 = performance.now();
  if (!stages.dryRun) await writeJsonAtomic(join(workDir, 'config.json'), { ...config, codeVersion: code });
  const ctx: PlanContext = {
    stages,
    workDir,
    backend: config.backend || undefined,
    log,
    generate: opts.generate,
    stage: (name, cfg, inputs, body) => stages.run(name, stageKey(name, cfg, inputs, code), body),
  };
  const outcome: PlanOutcome<unknown> =
    pipeline.task === 'classify'
      ? await classifyPlan(pipeline.config, ctx)
      : await translationPlan(pipeline.config, ctx);
  if (stages.dryRun)
    return {
      markdown: stages.planText(),
      reportMd: '',
      reportJson: '',
      reportHtml: '',
      rows: outcome.rows,
      plan: stages.plan,
    };
  const minutes = (performance.now() - t0) / 60000;
  // the PyTorch yardstick's rows, where kd peer wrote them into the report folder
  const peer = readPeerFile(reportDir);
  const rows = [...outcome.rows, ...peer.rows];
  const notes = [
    ...outcome.notes,
    ...peer.notes,
    stageTimesNote(stages.times),
    `This invocation: ${minutes.toFixed(1)} min (cached stages are not re-run). Training details: ${workDir}/*/result.json.`,
    ...(opts.control?.keepStages
      ? [
          `Stages kept from kd code version ${code} (--keep-stages); this report was written by code version ${codeVersion(packagePath('src'))}.`,
        ]
      : []),
  ];
  const files = {
    reportMd: join(reportDir, 'report.md'),
    reportJson: join(reportDir, 'report.json'),
    reportHtml: join(reportDir, 'report.html'),
  };
  const markdown = outcome.markdown(rows, notes);
  writeTextAtomicSync(files.reportMd, markdown);
  await writeJsonAtomic(files.reportJson, {
    name: config.name,
    ...outcome.json,
    rows,
    config,
    codeVersion: code,
    minutes,
    // each stage's own time as recorded when it ran (null: not recorded)
    stageSeconds: Object.fromEntries(stages.times.map((t) => [t.stage, t.seconds])),
  });
  writeTextAtomicSync(files.reportHtml, outcome.html(rows, notes));
  return { ...files, markdown, rows, plan: stages.plan };
}
