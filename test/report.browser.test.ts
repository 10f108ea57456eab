// The HTML reports of both tiny pipelines, opened in headless Chromium from their files with the
// network off: no console or page error, no request, and every chart drew its data: as many
// datasets and points as the stage outputs hold (counted here from those files and the configs),
// every point inside the plot area, and plot-area pixels in the datasets' colours. Screenshots are
// saved beside the reports. In CI (.ci/run installs Chromium) a missing Chromium fails; elsewhere
// the test is skipped only when Chromium is not installed.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { loadClassifyPipeline } from '../src/pipeline/classifyConfig.js';
import { loadPipeline, readPipelineFile } from '../src/pipeline/config.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { findChromium, type PageSeen, viewReport } from '../src/report/browserView.js';
import { translationReportHtml } from '../src/report/translationHtml.js';
import { stageDir } from './helpers/stageDir.js';

const chromium = findChromium();
const STEPS = 20; // loss recorded every 10 steps, dev every 10: two points per curve
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const records = (rows: readonly object[]) => rows as Array<Record<string, unknown>>;

if (!chromium && process.env.CI) {
  it('finds Chromium (the HTML report test needs it)', () => {
    throw new Error(
      'chromium not found at /usr/bin/chromium (or $CHROMIUM_PATH): .ci/run installs it with apt-get install chromium',
    );
  });
}

/** The one training stage folder of `stage` (student-seqkd, not student-seqkd-wordkd). */
const stageResult = (work: string, stage: string) => json(join(stageDir(work, stage), 'result.json'));

/** Every chart drew: no error, no request, the expected datasets and points, each point placed, coloured pixels. */
function expectDrawn(seen: PageSeen, expected: Record<string, Array<[string, number]>>) {
  expect(seen.consoleErrors).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.requests).toEqual([]);
  expect(seen.missing).toEqual([]);
  expect(seen.charts.map((c) => c.id).sort()).toEqual(Object.keys(expected).sort());
  for (const chart of seen.charts) {
    expect(
      chart.datasets.map((d) => [d.label, d.points]),
      chart.id,
    ).toEqual(expected[chart.id]);
    for (const d of chart.datasets) expect(d.placed, `${chart.id}: ${d.label}`).toBe(d.points);
    expect(chart.coloredPixels, chart.id).toBeGreaterThan(20);
  }
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe.skipIf(!chromium)('report.html in headless Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'kd-html-'));
  const train = (t: { steps: number; evalEvery: number; checkpointEvery: number }) =>
    Object.assign(t, { steps: STEPS, evalEvery: 10, checkpointEvery: 10 });
  let translate: { html: string; rows: Array<Record<string, unknown>>; work: string };
  let classify: { html: string; rows: Array<Record<string, unknown>>; work: string };

  beforeAll(async () => {
    const t = loadPipeline(new URL('../pipelines/tiny.yaml', import.meta.url).pathname);
    [t.teacher.train, t.student.train].forEach(train);
    const tr = await runPipeline(
      { task: 'translate', config: t },
      { workDir: join(work, 't'), reportDir: join(work, 't-report'), log: () => {} },
    );
    translate = { html: tr.reportHtml, rows: records(tr.rows), work: join(work, 't') };
    const file = new URL('../pipelines/tiny-sections.yaml', import.meta.url).pathname;
    const c = loadClassifyPipeline(file, readPipelineFile(file).raw);
    [c.teacher.train, c.student.train, c.baseline.train].forEach(train);
    const cr = await runPipeline(
      { task: 'classify', config: c },
      { workDir: join(work, 'c'), reportDir: join(work, 'c-report'), log: () => {} },
    );
    classify = { html: cr.reportHtml, rows: records(cr.rows), work: join(work, 'c') };
  });

  it('translation: table, learning curves, BLEU against speed and size, fidelity', async () => {
    const png = join(work, 't-report', 'report.png');
    const seen = await viewReport(translate.html, { chromium: chromium!, screenshot: png });
    const stages: Array<[string, string]> = [
      ['Teacher', 'teacher'],
      ['Student baseline', 'student-baseline'],
      ['Word-KD', 'student-wordkd'],
      ['Seq-KD', 'student-seqkd'],
      ['Seq-Inter', 'student-seqinter'],
      ['Seq-KD + Word-KD', 'student-seqkd-wordkd'],
    ];
    const histories = stages.map(
      ([label, stage]) =>
        [label, stageResult(translate.work, stage).history as Array<{ step: number; dev?: number }>] as const,
    );
    // the loss once per recorded step, the dev score at each evaluation: STEPS / 10 of each
    const losses = histories.map(([label, h]) => [label, new Set(h.map((p) => p.step)).size] as [string, number]);
    const devs = histories.map(
      ([label, h]) => [label, h.filter((p) => p.dev !== undefined).length] as [string, number],
    );
    expect(losses.map(([, n]) => n)).toEqual(stages.map(() => STEPS / 10));
    expect(devs.map(([, n]) => n)).toEqual(stages.map(() => STEPS / 10));
    const perRow = translate.rows.map((r) => [String(r.system), 1] as [string, number]);
    expectDrawn(seen, {
      'curve-loss-step': losses,
      'curve-loss-time': losses,
      'curve-dev-step': devs,
      'curve-dev-time': devs,
      'tradeoff-speed': perRow,
      'tradeoff-size': perRow,
      // every student row, fp32 and its int8 copy (eval.int8), against the teacher
      fidelity: [
        ['BLEU (beam 2)', translate.rows.length - 1],
        ["BLEU against the teacher's output", translate.rows.length - 1],
      ],
    });
    expect(readFileSync(png).subarray(0, 4)).toEqual(PNG);
  });

  it('classify: the same charts for accuracy, agreement, and a reliability diagram with every model', async () => {
    const seen = await viewReport(classify.html, {
      chromium: chromium!,
      screenshot: join(work, 'c-report', 'report.png'),
    });
    const labels = classify.rows.map((r) => String(r.label));
    expect(labels).toHaveLength(17); // the teacher, 8 students and baselines, and their int8 copies (eval.int8)
    // learning curves: the trained models only (an int8 copy has no training of its own)
    const two = classify.rows
      .filter((r) => r.dtype !== 'int8')
      .map((r) => [String(r.label), STEPS / 10] as [string, number]);
    // the eval stage's bins: each model's counts cover the test set; one point per non-empty bin
    const evalDir = readdirSync(classify.work).find((d) => d.startsWith('eval-'))!;
    const { calibration, testExamples } = json(join(classify.work, evalDir, 'done.json'));
    for (const m of calibration)
      expect(m.bins.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(testExamples);
    expectDrawn(seen, {
      'curve-loss-step': two,
      'curve-loss-time': two,
      'curve-dev-step': two,
      'curve-dev-time': two,
      'tradeoff-speed': labels.map((l) => [l, 1]),
      'tradeoff-size': labels.map((l) => [l, 1]),
      fidelity: [
        ['Accuracy (%)', labels.length - 1],
        ['Agreement with the teacher (%)', labels.length - 1],
      ],
      reliability: [
        ['perfectly calibrated', 2],
        ...calibration.map((m: { model: string; bins: Array<{ count: number }> }) => [
          m.model,
          m.bins.filter((b) => b.count > 0).length,
        ]),
      ],
    });
    // the eval stage keeps calibration bins for the fp32 models (int8 copies are compared by agreement instead)
    expect(calibration.map((m: { model: string }) => m.model)).toEqual(two.map(([l]) => l));
  });

  it('a row with a field no column knows (an int8 copy with a `quantizer`) shows in the table and the charts it has numbers for', async () => {
    const seqkd = translate.rows.find((r) => r.system === 'Seq-KD')!;
    const rows = [
      ...translate.rows,
      { ...seqkd, system: 'Seq-KD int8', dtype: 'int8', quantizer: 'dynamic', params: null },
    ];
    const html = join(work, 't-report', 'extra.html');
    writeFileSync(
      html,
      translationReportHtml({ title: 'extra row', rows, notes: [], beam: 2, teacher: 'Teacher', training: [] }),
    );
    const seen = await viewReport(html, { chromium: chromium! });
    expect([seen.consoleErrors, seen.pageErrors, seen.requests]).toEqual([[], [], []]);
    const speed = seen.charts.find((c) => c.id === 'tradeoff-speed')!;
    expect(speed.datasets.map((d) => d.label)).toContain('Seq-KD int8');
    expect(seen.charts.find((c) => c.id === 'tradeoff-size')!.datasets.map((d) => d.label)).not.toContain(
      'Seq-KD int8',
    );
    const page = readFileSync(html, 'utf8');
    expect(page.includes('<th>Weights</th>') && page.includes('<th>quantizer</th>')).toBe(true);
    expect(page.includes('<td>dynamic</td>')).toBe(true);
  });
});
