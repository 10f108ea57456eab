// The classification task's plan (run by ./runner.ts): prepare -> [pretrain] -> teacher ->
// [teacher-ngrams] -> label -> students -> eval, each stage keyed on its config and its inputs'
// keys like the translation plan; the report rows and notes. Only wiring: what the stages do lives
// in stages/.
import { existsSync } from 'node:fs';

import type { ClassifierLoss } from '../models/classifierConfig.js';
import { classifyReportHtml } from '../report/classifyHtml.js';
import { classifyReportMarkdown } from '../report/classifyReport.js';
import { type TrainingCurve, trainingCurve } from '../report/learningCurves.js';
import { isOnnxClassifierDir } from '../runtime/classifier.js';
import type { EvalModel } from '../stages/classifyEval.js';
import type { ClassifierModelConfig } from '../stages/classifyTrain.js';
import type { ClassifyPipelineConfig } from './classifyConfig.js';
import type { PlanContext, PlanOutcome } from './runner.js';
import { modelDirHash } from './stageCache.js';

interface Plan {
  name: string;
  label: string;
  model: 'student' | 'baseline';
  loss: ClassifierLoss;
}

/** The one list of classification students and baselines: config.students names them. */
export function studentPlans(config: ClassifyPipelineConfig): Plan[] {
  const { alpha } = config.kd;
  const plan = (
    name: string,
    label: string,
    model: Plan['model'],
    kind: ClassifierLoss['kind'],
    temperature = 1,
  ): Plan => ({
    name,
    label,
    model,
    loss: { kind, alpha: kind === 'ce' ? 1 : alpha, temperature },
  });
  const T = config.kd.baselineTemperature;
  const kinds: Record<string, Plan[]> = {
    scratch: [plan('scratch', 'Student (scratch)', 'student', 'ce')],
    kd: config.kd.temperatures.map((t) => plan(`kd-T${t}`, `Student KD, T = ${t}`, 'student', 'kd', t)),
    annealed: [plan('annealed', 'Student KD annealed', 'student', 'annealed')],
    logitmse: [plan('logitmse', 'Student logit MSE', 'student', 'logitmse')],
    baseline: [plan('baseline', 'Baseline n-grams (scratch)', 'baseline', 'ce')],
    'baseline-kd': [plan('baseline-kd', `Baseline n-grams KD, T = ${T}`, 'baseline', 'kd', T)],
  };
  return config.students.flatMap((s) => kinds[s] ?? []);
}

export async function classifyPlan(
  config: ClassifyPipelineConfig,
  { stage, stages, backend, log }: PlanContext,
): Promise<PlanOutcome<Record<string, any>>> {
  const prepCfg = { data: config.data, vocabSize: config.vocabSize };
  // the dataset folder by content: an edited line reruns prepare and what depends on it
  const prep = await stage(
    'prepare',
    prepCfg,
    [existsSync(config.data.dir) ? modelDirHash(config.data.dir) : 'missing'],
    async (dir) => (await import('../stages/classifyPrepare.js')).run(prepCfg, dir),
  );
  const { run: train } = await import('../stages/classifyTrain.js');
  const trainCfg = (model: typeof config.teacher.model, t: typeof config.teacher.train, loss: ClassifierLoss) => ({
    model: model as ClassifierModelConfig,
    train: { ...t, loss },
    backend,
  });
  const gold: ClassifierLoss = { kind: 'ce', alpha: 1, temperature: 1 }; // the teacher and its n-gram member learn from the labels
  const teacherCfg = trainCfg(config.teacher.model, config.teacher.train, gold);
  let teacher: { dir: string; key: string; result?: unknown };
  if (config.teacher.onnx) {
    const dir = config.teacher.onnx;
    if (!isOnnxClassifierDir(dir))
      throw new Error(`teacher.onnx: ${dir} has no onnx/model.onnx (a Hugging Face ONNX export of a classifier)`);
    // one identity for a pretrained teacher, as translation pipelines have: its folder's content
    teacher = { dir, key: modelDirHash(dir) };
    log(`[teacher] pretrained: ${dir}`);
    stages.passed('teacher'); // kd teacher P stops here too
  } else {
    // BERT's recipe where asked: a masked-LM pretraining stage, then the teacher fine-tuned from it
    const { pretrain } = config.teacher;
    const pre =
      pretrain.steps > 0
        ? await stage('pretrain', { model: config.teacher.model, pretrain }, [prep.key], async (dir) =>
            (await import('../stages/classifyPretrain.js')).run(
              { model: config.teacher.model as ClassifierModelConfig, pretrain },
              { prepareDir: prep.dir },
              dir,
              log,
            ),
          )
        : null;
    teacher = await stage('teacher', teacherCfg, pre ? [prep.key, pre.key] : [prep.key], (dir) =>
      train(teacherCfg, { prepareDir: prep.dir, pretrainDir: pre?.dir }, dir, log),
    );
  }
  // the teacher's bag-of-n-grams member, where asked: the teacher is then the pair's ensemble
  const ngramsCfg = trainCfg(config.teacher.ngrams.model, config.teacher.ngrams.train, gold);
  const ngrams =
    config.teacher.ngrams.train.steps > 0
      ? await stage('teacher-ngrams', ngramsCfg, [prep.key], (dir) =>
          train(ngramsCfg, { prepareDir: prep.dir }, dir, log),
        )
      : null;
  const teacherDirs = ngrams ? [teacher.dir, ngrams.dir] : [teacher.dir];
  const labelCfg = { ...config.label, backend };
  const label = await stage('label', labelCfg, [prep.key, teacher.key, ...(ngrams ? [ngrams.key] : [])], async (dir) =>
    (await import('../stages/classifyLabel.js')).run(labelCfg, { prepareDir: prep.dir, teacherDirs }, dir, log),
  );

  const models: EvalModel[] = [
    { name: 'teacher', label: ngrams ? 'Teacher (ensemble)' : 'Teacher', dirs: teacherDirs, student: false },
  ];
  // the learning curves of the HTML report: each training stage's history (none for a pretrained teacher)
  const training = [trainingCurve(ngrams ? 'Teacher: Transformer' : 'Teacher', teacher.result)];
  if (ngrams) {
    // each member alone, so the report shows what the ensemble adds
    models.push(
      { name: 'teacher-transformer', label: 'Teacher: Transformer alone', dirs: [teacher.dir], student: false },
      { name: 'teacher-ngrams', label: 'Teacher: n-grams alone', dirs: [ngrams.dir], student: false },
    );
    training.push(trainingCurve('Teacher: n-grams', ngrams.result));
  }
  for (const plan of studentPlans(config)) {
    const part = config[plan.model];
    const cfg = trainCfg(part.model, part.train, plan.loss);
    const inputs = plan.loss.kind === 'ce' ? [prep.key] : [prep.key, label.key];
    const run = await stage(`student-${plan.name}`, cfg, inputs, (dir) =>
      train(cfg, { prepareDir: prep.dir, labelDir: plan.loss.kind === 'ce' ? undefined : label.dir }, dir, log),
    );
    models.push({ name: plan.name, label: plan.label, dirs: [run.dir], student: true });
    training.push(trainingCurve(plan.label, run.result));
  }
  const evalCfg = { ...config.eval, backend }; // eval.int8 is in the key: turning it on or off reruns eval
  const evaluated = await stage(
    'eval',
    evalCfg,
    models.flatMap((m) => m.dirs),
    async () => (await import('../stages/classifyEval.js')).run(evalCfg, { prepareDir: prep.dir, models }, log),
  );

  const rows = evaluated.result.rows ?? [];
  const c = prep.result.counts ?? {};
  const notes =
    evaluated.result.testExamples === undefined
      ? []
      : [
          `Test set: ${evaluated.result.testExamples} texts of ${config.data.dir}/test; ${prep.result.labels.length} classes. Teacher ${config.teacher.onnx ? `pretrained (${config.teacher.onnx})` : `trained on ${c.train} labelled texts`}${ngrams ? ', with a bag-of-n-grams model trained on them: the teacher is their ensemble (the mean of their log-probabilities), each member alone in its own row' : ''}; students trained on ${c.train} labelled texts; KD students also on ${c.transfer} transfer texts labelled by the teacher only.`,
          `Agreement: how often a model predicts the teacher's class. ECE: expected calibration error, 15 equal-width confidence bins (lower is better).`,
          `KD: ${config.kd.alpha}*CE + ${1 - config.kd.alpha}*T^2*KL(teacher_T || student_T); annealed: the target moves linearly from the teacher's distribution to the gold label (BAM!).`,
          `Examples/s: test-set inference on this machine (backend ${backend ?? 'auto'}, batch ${config.eval.batchSize}, texts of like length batched together), the median of 3 passes over the test set (the first also fills the tokenizer's cache of words).`,
          `Size MB: the model's ONNX graph as a file.${config.eval.int8 ? " (int8) rows: the student's graph with int8 weights (per output channel; embedding and n-gram tables per row), activations quantized as they come (kd export --quantize int8), measured in the same eval stage right after fp32." : ''}`,
        ];
  const title = `Classifier distillation report: ${config.name}`;
  return {
    rows,
    notes,
    json: { task: 'classify' },
    markdown: (all, notes) => classifyReportMarkdown(config.name, all as typeof rows, notes),
    html: (all, notes) =>
      classifyReportHtml({
        title,
        rows: all,
        notes,
        teacher: models[0].label,
        training: training.filter((t): t is TrainingCurve => t !== null),
        calibration: evaluated.result.calibration ?? [],
      }),
  };
}
