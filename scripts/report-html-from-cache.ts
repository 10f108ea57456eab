// The HTML report (and a screenshot of it) of a pipeline that finished before kd wrote one, made
// from what its run left, with no stage run again: rows from eval/NAME/report.json, title and notes
// from report.md, learning curves from the training stages' result.json under models/NAME, and for
// classifiers the confidence bins of the finished models, recomputed on the test set (inference
// only; each model's accuracy must equal report.json's, or nothing is written).
// Why not `kd report`: a stage's key hashes all of src/, so after any code change kd would train
// everything again. A run of the current code writes report.html itself.
//   npx tsx scripts/report-html-from-cache.ts pipelines/demo.yaml [--png eval/demo/report.png]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readPipelineFile } from '../src/pipeline/config.js';
import { PLANS } from '../src/pipeline/translationPlan.js';
import { findChromium, viewReport } from '../src/report/browserView.js';
import { classifyReportHtml } from '../src/report/classifyHtml.js';
import { type TrainingCurve, trainingCurve } from '../src/report/learningCurves.js';
import { translationReportHtml } from '../src/report/translationHtml.js';
import { writeTextAtomicSync } from '../src/util/atomicWrite.js';

const [file, pngFlag, png] = process.argv.slice(2);
if (!file || (pngFlag && pngFlag !== '--png') || (pngFlag && !png))
  throw new Error('usage: report-html-from-cache.ts PIPELINE.yaml [--png OUT.png]');
const { task, raw } = readPipelineFile(file);
const name = String((raw as { name: string }).name);
const [workDir, reportDir] = [join('models', name), join('eval', name)];
const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'));
const md = readFileSync(join(reportDir, 'report.md'), 'utf8').split('\n');
const title = md[0].replace(/^# /, '');
const notes = [
  ...md.filter((l) => l.startsWith('- ')).map((l) => l.slice(2)),
  `This page was made afterwards from that run's stage outputs (scripts/report-html-from-cache.ts): rows from report.json, learning curves from ${workDir}/*/result.json${task === 'classify' ? ', confidence bins recomputed with the same models (accuracies checked equal)' : ''}.`,
];

/** The one finished folder of a stage (models/NAME/STAGE-KEY with done.json); two runs' folders are ambiguous. */
function stageDir(stage: string): string {
  const dirs = readdirSync(workDir).filter(
    (d) => new RegExp(`^${stage}-[0-9a-f]{12}$`).test(d) && existsSync(join(workDir, d, 'done.json')),
  );
  if (dirs.length !== 1)
    throw new Error(
      `${workDir}: ${dirs.length} finished folders of stage ${stage} (${dirs.join(', ')}); need exactly one`,
    );
  return join(workDir, dirs[0]);
}

function curve(label: string, stage: string, params: unknown): TrainingCurve {
  const result = JSON.parse(readFileSync(join(stageDir(stage), 'result.json'), 'utf8'));
  // the same model as the report's row: its parameter count matches
  if (params !== null && result.params !== params)
    throw new Error(`${stage}: ${result.params} parameters, the report's ${label} has ${params}`);
  const c = trainingCurve(label, result);
  if (!c) throw new Error(`${stage}: no history in result.json`);
  return c;
}

const html = join(reportDir, 'report.html');
if (task === 'classify') {
  const rows = report.rows as Array<{ name: string; label: string; accuracy: number; params: number | null }>;
  const models = rows.map((r) => ({
    name: r.name,
    label: r.label,
    dir: stageDir(r.name === 'teacher' ? 'teacher' : `student-${r.name}`),
  }));
  const training = rows.map((r) => curve(r.label, r.name === 'teacher' ? 'teacher' : `student-${r.name}`, r.params));
  const { run } = await import('../src/stages/classifyEval.js');
  const again = await run(
    { batchSize: report.config.eval.batchSize },
    { prepareDir: stageDir('prepare'), models },
    (m) => process.stderr.write(`${m}\n`),
  );
  rows.forEach((r, i) => {
    if (again.rows[i].accuracy !== r.accuracy)
      throw new Error(
        `${r.label}: accuracy ${again.rows[i].accuracy} now, ${r.accuracy} in report.json: not the same models or test set`,
      );
  });
  writeTextAtomicSync(
    html,
    classifyReportHtml({ title, rows, notes, teacher: 'Teacher', training, calibration: again.calibration }),
  );
} else {
  const rows = report.rows as Array<{ system: string; params: number | null }>;
  // a row no plan names (none today) simply has no curve
  const stageOf = (system: string) =>
    system === 'Teacher' ? 'teacher' : Object.values(PLANS).find((p) => p.label === system)?.name;
  const training = rows.flatMap((r) => {
    const stage = stageOf(r.system);
    return stage ? [curve(r.system, stage === 'teacher' ? stage : `student-${stage}`, r.params)] : [];
  });
  writeTextAtomicSync(
    html,
    translationReportHtml({ title, rows, notes, beam: report.config.eval.beam, teacher: 'Teacher', training }),
  );
}
process.stderr.write(`wrote ${html}\n`);
if (png) {
  const chromium = findChromium();
  if (!chromium) throw new Error('chromium not found (apt-get install chromium, or set CHROMIUM_PATH)');
  const seen = await viewReport(html, { chromium, screenshot: png });
  const bad = [
    ...seen.consoleErrors,
    ...seen.pageErrors,
    ...seen.requests,
    ...seen.missing.map((m) => `no data: ${m}`),
  ];
  process.stderr.write(
    `wrote ${png}: ${seen.charts.length} charts${bad.length ? `; problems: ${bad.join('; ')}` : ''}\n`,
  );
}
