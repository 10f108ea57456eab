// What a pipeline run does with each stage, given the user's command: run it (cached, resumed or
// afresh), only plan it (--dry-run: which stages are cached, which would run, and why), stop after
// a group of stages (kd prepare | teacher | generate | label | train | eval PIPELINE), run only one
// group (--only: the others must be cached), or redo one (--force). The task plans
// (./translationPlan.ts, ./classifyPlan.ts, run by ./runner.ts) call run() for every stage in plan
// order and hold no such logic themselves.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { runCached, type StageRun } from './stageCache.js';

/** Stage groups by the command that names them. */
export const STAGE_GROUPS: Record<string, (stage: string) => boolean> = {
  prepare: (s) => s === 'prepare',
  teacher: (s) => s === 'teacher' || s === 'pretrain' || s === 'teacher-ngrams' || s === 'teacher-lp',
  generate: (s) => s === 'generate',
  label: (s) => s === 'label',
  train: (s) => s.startsWith('student-'),
  eval: (s) => s === 'eval' || s.startsWith('eval-'),
};

export interface StageControl {
  dryRun?: boolean;
  until?: string; // a group: stop once its stages are done
  only?: string; // a group: run only its stages
  force?: string; // a group: redo its stages even when cached
  /**
   * Keep the finished stages of an earlier kd version (--keep-stages): stage keys use the code
   * version recorded in the pipeline folder, not this code's, and a stage that would have to run
   * is an error (this code must not make artifacts labelled with another code's version).
   */
  keepStages?: boolean;
}

export interface PlannedStage {
  stage: string;
  dir: string;
  status: 'cached' | 'resume' | 'run';
  why: string;
}

/** Thrown to end a run after the group a stage command names (not an error). */
export class StopAfter extends Error {
  name = 'StopAfter';
}

export class StageRunner {
  readonly plan: PlannedStage[] = [];
  /** each stage this run went through, with its own time as recorded when it ran (cached ones too) */
  readonly times: Array<{ stage: string; seconds: number | null }> = [];
  private inGroup = false;

  constructor(
    private readonly workDir: string,
    private readonly log: (m: string) => void,
    readonly control: StageControl = {},
  ) {
    for (const g of [control.until, control.only, control.force]) {
      if (g && !STAGE_GROUPS[g])
        throw new Error(`unknown stage group '${g}' (known: ${Object.keys(STAGE_GROUPS).join(', ')})`);
    }
  }

  get dryRun(): boolean {
    return !!this.control.dryRun;
  }

  /**
   * A stage the plan has no folder for (a pretrained teacher stands in for the teacher stage): it
   * counts as passed, so a command stopping after its group stops there.
   */
  passed(stage: string): void {
    const { until } = this.control;
    if (until && STAGE_GROUPS[until](stage)) this.inGroup = true;
  }

  async run<R>(stage: string, key: string, body: (dir: string) => Promise<R>): Promise<StageRun<R>> {
    const { until, only, force } = this.control;
    if (until) {
      if (STAGE_GROUPS[until](stage)) this.inGroup = true;
      else if (this.inGroup) throw new StopAfter(`${until}: done`);
    }
    const dir = join(this.workDir, `${stage}-${key}`);
    const done = join(dir, 'done.json');
    const forced = !!force && STAGE_GROUPS[force](stage);
    const status = existsSync(done) && !forced ? 'cached' : existsSync(dir) && !forced ? 'resume' : 'run';
    if (this.control.dryRun) {
      this.plan.push({ stage, dir, status, why: this.why(stage, key, status, forced) });
      const result = (status === 'cached' ? JSON.parse(readFileSync(done, 'utf8')) : {}) as R;
      return { dir, key, result, cached: status === 'cached', seconds: null };
    }
    if (this.control.keepStages && (status !== 'cached' || forced))
      throw new Error(
        `${stage} is not finished under the code version recorded in ${this.workDir}/config.json: --keep-stages only re-reads finished stages (run without it to make them with this code)`,
      );
    if (only && !STAGE_GROUPS[only](stage)) {
      if (status !== 'cached')
        throw new Error(
          `${stage} has not run, and --only ${only} needs it: run it first (kd run, or its own stage command)`,
        );
    }
    if (forced) {
      this.log(`[${stage}] forced: ${dir} is made again`);
      rmSync(dir, { recursive: true, force: true });
    }
    const run = await runCached(this.workDir, stage, key, this.log, body);
    this.times.push({ stage, seconds: run.seconds });
    return run;
  }

  /** Why a stage is cached, resumed or run: its key against the folders of earlier runs. */
  private why(stage: string, key: string, status: PlannedStage['status'], forced: boolean): string {
    if (forced) return '--force';
    if (status === 'cached')
      return `finished with this config, inputs and ${this.control.keepStages ? 'the recorded (--keep-stages)' : 'this'} code`;
    if (status === 'resume') return 'interrupted: resumes where it stopped';
    const others = existsSync(this.workDir)
      ? readdirSync(this.workDir).filter((d) => d.startsWith(`${stage}-`) && d !== `${stage}-${key}`)
      : [];
    return others.length ? `its config, inputs or code changed (earlier: ${others.join(', ')})` : 'never run';
  }

  /** The plan as a table for people. */
  planText(): string {
    const width = Math.max(5, ...this.plan.map((p) => p.stage.length));
    return this.plan.map((p) => `${p.stage.padEnd(width)}  ${p.status.padEnd(6)}  ${p.why}`).join('\n');
  }
}
