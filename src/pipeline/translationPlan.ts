// The translation task's plan (run by ./runner.ts): prepare -> teacher -> generate -> students ->
// eval, each stage keyed on its config and its inputs' keys; the report rows and notes. Only wiring.
import { join } from 'node:path';

import { evalRows, reportMarkdown, type ReportRow } from '../report/distillReport.js';
import { trainingCurve } from '../report/learningCurves.js';
import { translationReportHtml } from '../report/translationHtml.js';
import type { LossConfig } from '../train/lossForBatch.js';
import type { PipelineConfig } from './config.js';
import type { PlanContext, PlanOutcome } from './runner.js';
import { inputsKey, modelDirHash } from './stageCache.js';

interface StudentPlan {
  name: string;
  label: string;
  targets?: 'seqkd' | 'seqinter';
  soft?: 'gold' | 'seqkd';
  loss: LossConfig['kind'];
}
/** The one list of translation students: config.students names them by these keys. */
export const PLANS: Record<string, StudentPlan> = {
  baseline: { name: 'baseline', label: 'Student baseline', loss: 'ce' },
  wordkd: { name: 'wordkd', label: 'Word-KD', soft: 'gold', loss: 'wordkd' },
  seqkd: { name: 'seqkd', label: 'Seq-KD', targets: 'seqkd', loss: 'ce' },
  seqinter: { name: 'seqinter', label: 'Seq-Inter', targets: 'seqinter', loss: 'ce' },
  'seqkd+wordkd': { name: 'seqkd-wordkd', label: 'Seq-KD + Word-KD', targets: 'seqkd', soft: 'seqkd', loss: 'wordkd' },
  logitmse: { name: 'logitmse', label: 'Logit MSE', soft: 'gold', loss: 'logitmse' },
};

/** ", after dropping 3 over maxChars and 1 duplicate" (corpus.filter), or nothing */
function droppedNote(dropped?: Record<string, number>): string {
  const parts = Object.entries(dropped ?? {})
    .filter(([, n]) => n > 0)
    .map(
      ([rule, n]) =>
        `${n} ${{ overlong: 'over maxChars', empty: 'with an empty side', ratio: 'over the length ratio', duplicates: 'duplicates' }[rule] ?? rule}`,
    );
  return parts.length ? `, after dropping ${parts.join(', ')}` : '';
}

export async function translationPlan(
  config: PipelineConfig,
  { stage, stages, backend, log, generate }: PlanContext,
): Promise<PlanOutcome<ReportRow>> {
  // a pretrained teacher: its folder (keyed by content) instead of a teacher stage, its vocabulary for the students
  const pretrained = config.teacher.onnx
    ? { dir: config.teacher.onnx, key: modelDirHash(config.teacher.onnx), result: undefined }
    : null;
  const prepCfg = pretrained
    ? { corpus: config.corpus, vocabSize: 0, teacherOnnx: { dir: pretrained.dir, hash: pretrained.key } }
    : { corpus: config.corpus, vocabSize: config.vocabSize };
  const { resolveSplitFile } = await import('../stages/prepare.js');
  const corpusFiles = (['train', 'dev', 'test'] as const).flatMap((split) =>
    [config.corpus.src, config.corpus.tgt].map((lang) => resolveSplitFile(config.corpus[split], lang)),
  );
  const prep = await stage('prepare', prepCfg, [inputsKey(corpusFiles)], async (dir) =>
    (await import('../stages/prepare.js')).run(prepCfg, dir),
  );

  const { run: train } = await import('../stages/train.js');
  const teacherCfg = {
    model: config.teacher.model,
    train: { ...config.teacher.train, loss: { kind: 'ce' as const, alpha: 1, temperature: 1 } },
    devSentences: config.devSentences,
    backend,
  };
  const teacher =
    pretrained ??
    (await stage('teacher', teacherCfg, [prep.key], (dir) => train(teacherCfg, { prepareDir: prep.dir }, dir, log)));
  if (pretrained) {
    log(`[teacher] pretrained: ${pretrained.dir} (no teacher stage)`);
    stages.passed('teacher'); // kd teacher P stops here too
  }

  // the pseudo-targets' length penalty: as configured, or the teacher's best on dev among the choices
  const { lengthPenaltyChoices: choices, ...generateConfig } = config.generate;
  let lengthPenalty = { value: generateConfig.lengthPenalty, key: [] as string[], tuned: false };
  if (choices.length) {
    const lpCfg = {
      choices,
      beam: generateConfig.beam,
      maxLength: generateConfig.maxLength,
      batchSize: generateConfig.batchSize,
      engine: generateConfig.engine,
      devSentences: config.devSentences,
      backend,
    };
    const tuned = await stage('teacher-lp', lpCfg, [prep.key, teacher.key], async (dir) =>
      (await import('../stages/tuneLengthPenalty.js')).run(
        lpCfg,
        { prepareDir: prep.dir, teacherDir: teacher.dir },
        dir,
        log,
      ),
    );
    // (a dry run that has not tuned yet knows no value: the generate stage then shows as to run)
    lengthPenalty = { value: tuned.result.lengthPenalty ?? NaN, key: [tuned.key], tuned: true };
  }

  // the students' share of the training pairs: all of them, or the first corpus.maxDistill
  const split = config.corpus.maxDistill > 0 ? 'distill' : 'train';
  const genCfg = {
    ...generateConfig,
    lengthPenalty: lengthPenalty.value,
    softTargets: { topK: config.kd.topK, temperature: config.kd.temperature },
    backend,
  };
  const gen = await stage('generate', genCfg, [prep.key, teacher.key, ...lengthPenalty.key], async (dir) =>
    (await import('../stages/generate.js')).run(
      genCfg,
      { prepareDir: prep.dir, teacherDir: teacher.dir, teacherHash: teacher.key, split },
      dir,
      log,
      generate,
    ),
  );

  const { run: evaluate } = await import('../stages/evaluate.js');
  const evalCfg = { ...config.eval, backend };
  // eval.int8 (students only) is in the key: turning it on or off reruns the students' eval stages
  const evalOf = (name: string, modelRun: { dir: string; key: string }, teacherHyps?: string, cfg = evalCfg) =>
    stage(`eval-${name}`, cfg, [prep.key, modelRun.key, teacherHyps ?? ''], (dir) =>
      evaluate(cfg, { prepareDir: prep.dir, modelDir: modelRun.dir, teacherHyps }, dir, log),
    );

  // every student trains before any model is evaluated: `kd train` and `kd eval` are then plain prefixes of the plan
  const students: Array<{ label: string; name: string; run: { dir: string; key: string; result: unknown } }> = [];
  for (const kind of config.students) {
    const plan = PLANS[kind];
    const loss: LossConfig = {
      kind: plan.loss,
      alpha: plan.loss === 'wordkd' ? config.kd.alpha : 1,
      temperature: config.kd.temperature,
    };
    const cfg = {
      model: config.student.model,
      train: { ...config.student.train, loss },
      devSentences: config.devSentences,
      backend,
    };
    const inputs = {
      prepareDir: prep.dir,
      split,
      targets: plan.targets ? join(gen.dir, `${plan.targets}.tgt`) : undefined,
      softTargets: plan.soft ? join(gen.dir, `soft-${plan.soft}`) : undefined,
    };
    const student = await stage(
      `student-${plan.name}`,
      { cfg, targets: plan.targets ?? 'gold', soft: plan.soft ?? null },
      [prep.key, ...(plan.targets || plan.soft ? [gen.key] : [])],
      (dir) => train(cfg, inputs, dir, log),
    );
    students.push({ label: plan.label, name: plan.name, run: student });
  }
  const teacherEval = await evalOf('teacher', teacher, undefined, { ...evalCfg, int8: false });
  const teacherHyps = join(teacherEval.dir, 'hyp.beam.txt');
  const rows: ReportRow[] = evalRows('Teacher', { ...teacherEval.result, bleuVsTeacher: null });
  for (const s of students) rows.push(...evalRows(s.label, (await evalOf(s.name, s.run, teacherHyps)).result));
  const notes = prep.result?.counts
    ? [
        `Test set: ${prep.result.counts.test} sentences of ${config.corpus.test}; BLEU and chrF are sacreBLEU-exact (${teacherEval.result.signature}).`,
        `Training pairs: ${prep.result.counts.train}${droppedNote(prep.result.dropped)}.`,
        `Decoding: the test set at beam ${config.eval.beam}, length penalty ${config.eval.lengthPenalty} (every model); the teacher's pseudo-targets (Seq-KD, the n-best for Seq-Inter) at beam ${config.generate.beam}, length penalty ${lengthPenalty.value}${lengthPenalty.tuned ? ` (the teacher's best dev BLEU among ${choices.join(', ')}: the teacher-lp stage's result.json)` : ''}.`,
        `BLEU vs teacher: the student's beam output scored against the teacher's beam output (fidelity).`,
        `Sent/s: test-set decoding speed on this machine (backend ${backend ?? 'auto'}), batch ${config.eval.batchSize}.`,
        `Size MB: the ONNX files transformers.js loads (encoder + merged decoder).${config.eval.int8 ? " (int8) rows: the student's kd export --quantize int8 graphs (int8 weights per output channel, activations quantized as they come), decoded in the same eval stage right after fp32." : ''}`,
      ]
    : [];
  const title = `Distillation report: ${config.name} (${config.corpus.src}-${config.corpus.tgt})`;
  // the HTML report's learning curves: each training stage's history (none for a pretrained teacher)
  const training = [
    { label: 'Teacher', result: teacher.result },
    ...students.map((s) => ({ label: s.label, result: s.run.result })),
  ].flatMap((m) => trainingCurve(m.label, m.result) ?? []);
  return {
    rows,
    notes,
    markdown: (all, notes) => reportMarkdown(title, all, config.eval.beam, notes),
    html: (all, notes) =>
      translationReportHtml({ title, rows: all, notes, beam: config.eval.beam, teacher: 'Teacher', training }),
  };
}
