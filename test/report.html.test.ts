// The HTML report's pieces without a browser: escaping, the generic table, which rows reach which
// chart, and that the page loads nothing from anywhere (test/report.browser.test.ts renders it).
import { describe, expect, it } from 'vitest';

import { calibrationBins } from '../src/classify/metrics.js';
import { classifyReportHtml } from '../src/report/classifyHtml.js';
import { fixed } from '../src/report/formats.js';
import { escapeHtml, jsonForScript } from '../src/report/htmlPage.js';
import { htmlTable } from '../src/report/htmlTable.js';
import { devPoints, lossPoints } from '../src/report/learningCurves.js';
import { translationReportHtml } from '../src/report/translationHtml.js';

const EVIL = '</script><script>alert(1)</script><!--';
const row = (system: string, bleuBeam: number, params: number | null, extra: object = {}) => ({
  system,
  sentences: 8,
  bleuGreedy: 1,
  bleuBeam,
  chrfBeam: 20,
  bleuVsTeacher: system === 'Teacher' ? null : 9,
  params,
  sentencesPerSecondGreedy: 100,
  sentencesPerSecondBeam: 50,
  beam: 2,
  signature: 'nrefs:1',
  ...extra,
});
const history = [
  { step: 10, seconds: 1, loss: 5 },
  { step: 20, seconds: 2, loss: 4 },
  { step: 20, seconds: 2.5, loss: 4, dev: 3 },
];

/** The page's embedded chart specs, read back as the browser does. */
function charts(
  html: string,
): Array<{ id: string; spec: { data: { datasets: Array<{ label: string; data: unknown[] }>; labels?: string[] } } }> {
  const m = html.match(/<script type="application\/json" id="kd-report-data">([^<]*)<\/script>/);
  return JSON.parse(m![1]).charts;
}

describe('HTML report', () => {
  it('embeds JSON that no string can break out of, and round-trips it', () => {
    const value = { label: EVIL, sep: 'a\u2028b\u2029c' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<\/script|<!--|\u2028|\u2029/i);
    expect(JSON.parse(text)).toEqual(value);
    expect(escapeHtml('<a href="x">&\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  it('a row name with markup stays text: three script blocks, the name escaped in the table and intact in the data', () => {
    const html = translationReportHtml({
      title: EVIL,
      rows: [row('Teacher', 12, 6e6), row(EVIL, 7, 1e6)],
      notes: [EVIL],
      beam: 2,
      teacher: 'Teacher',
      training: [],
    });
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.includes('<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--</td>')).toBe(true);
    expect(
      charts(html)
        .find((c) => c.id === 'tradeoff-speed')!
        .spec.data.datasets.map((d) => d.label),
    ).toEqual(['Teacher', EVIL]);
  });

  it('loads nothing: Chart.js inline, a policy that forbids fetching, no src or href to fetch', () => {
    const html = translationReportHtml({
      title: 't',
      rows: [row('Teacher', 12, 6e6)],
      notes: [],
      beam: 2,
      teacher: 'Teacher',
      training: [],
    });
    expect(html.includes('Chart.js v4')).toBe(true);
    expect(html.includes(`content="default-src 'none'; script-src 'unsafe-inline'`)).toBe(true);
    expect(html.match(/\s(src|href)=(?!["']?data:)/g)).toBeNull();
  });

  it('shows a field no column knows as a column of its own, and keeps unknown rows in the charts that have their numbers', () => {
    const rows = [
      row('Teacher', 12, 6e6),
      row('Seq-KD', 8, 1.4e6),
      row('Seq-KD', 7.9, null, { system: 'Seq-KD int8', dtype: 'int8' }),
    ];
    const table = htmlTable(
      rows,
      [
        { key: 'system', heading: 'System', format: String },
        { key: 'bleuBeam', heading: 'BLEU', format: fixed(2) },
      ],
      ['signature'],
    );
    expect(table).toContain('<th>dtype</th>');
    expect(table).toContain('<td>int8</td>');
    expect(table).toContain('<td class="num">—</td>'); // params null
    expect(table).not.toContain('signature');
    const html = translationReportHtml({ title: 't', rows, notes: [], beam: 2, teacher: 'Teacher', training: [] });
    const byId = Object.fromEntries(charts(html).map((c) => [c.id, c.spec.data]));
    expect(byId['tradeoff-speed'].datasets.map((d) => d.label)).toEqual(['Teacher', 'Seq-KD', 'Seq-KD int8']);
    expect(byId['tradeoff-size'].datasets.map((d) => d.label)).toEqual(['Teacher', 'Seq-KD']); // no size: left out
    expect(byId.fidelity.labels).toEqual(['Seq-KD', 'Seq-KD int8']);
    // no training history at all: the curve boxes say so instead of drawing empty axes
    expect(html.match(/class="missing"/g)).toHaveLength(4);
  });

  it('learning curves: the loss once per step, the dev score where it was measured, wall time in minutes', () => {
    expect(lossPoints(history, 'step')).toEqual([
      { x: 10, y: 5 },
      { x: 20, y: 4 },
    ]);
    expect(devPoints(history, 'minutes')).toEqual([{ x: 0.0416667, y: 3 }]); // 2.5 s, to six digits
  });

  it('classify: a reliability diagram of every model with non-empty bins, beside the diagonal', () => {
    const bins = calibrationBins([0.95, 0.9, 0.4], [true, false, true]);
    const rows = [
      {
        name: 'teacher',
        label: 'Teacher',
        accuracy: 0.7,
        macroF1: 0.6,
        agreement: null,
        ece: 0.1,
        params: 8e5,
        examplesPerSecond: 900,
      },
    ];
    const html = classifyReportHtml({
      title: 't',
      rows,
      notes: [],
      teacher: 'Teacher',
      training: [{ model: 'Teacher', history }],
      calibration: [{ model: 'Teacher', bins }],
    });
    const rel = charts(html).find((c) => c.id === 'reliability')!.spec.data.datasets;
    expect(rel.map((d) => d.label)).toEqual(['perfectly calibrated', 'Teacher']);
    expect(rel[1].data).toEqual([
      { x: 0.4, y: 1 },
      { x: 0.9, y: 0 },
      { x: 0.95, y: 1 },
    ]);
    expect(html.includes('no student has a fidelity score')).toBe(true); // no students here
  });
});
