// The HTML report's page: one self-contained file that opens offline. Chart.js is inlined (no CDN),
// the charts' data sits in a JSON script block, and a Content-Security-Policy forbids every fetch,
// so a report that renders once renders anywhere, years later, on a plane.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { ChartConfiguration } from 'chart.js';

/** A chart of the page, or the reason it has no data (e.g. a pretrained teacher has no history). */
export type ChartBox =
  { id: string; title: string; spec: ChartConfiguration } | { id: string; title: string; missing: string };

export interface HtmlSection {
  heading: string;
  intro: string;
  charts: ChartBox[];
}

export interface HtmlPage {
  title: string;
  table: string;
  notes: string[];
  sections: HtmlSection[];
}

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * JSON that can sit inside <script>: `<` as \u003c (so no `</script>` or `<!--` can end or bend
 * the block), and the two line separators JavaScript once rejected in strings.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Chart.js' UMD build, from wherever node resolves the package (kd's own node_modules or a hoisted one). */
function chartJsSource(): string {
  // the package exports only its entry points: find the entry, then its UMD file beside it
  const entry = createRequire(import.meta.url).resolve('chart.js');
  const code = readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8');
  // inside a script element only `</script` and `<!--` are special; in JS they can occur in strings alone
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1240px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; } th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; } ul.notes { color: #555; font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 18px; }
.chart { border: 1px solid #e4e4e4; border-radius: 6px; padding: 8px; }
.chart h3 { font-size: 14px; margin: 0 0 6px; } .chart .box { position: relative; height: 320px; }
.missing { color: #777; font-style: italic; }`;

// runs in the browser: one Chart per canvas, from the embedded specs
const CLIENT = `(() => {
  const data = JSON.parse(document.getElementById('kd-report-data').textContent);
  for (const c of data.charts) new Chart(document.getElementById(c.id), c.spec);
})();`;

function chartHtml(c: ChartBox): string {
  const body =
    'missing' in c
      ? `<p class="missing">${escapeHtml(c.missing)}</p>`
      : `<div class="box"><canvas id="${escapeHtml(c.id)}"></canvas></div>`;
  return `<div class="chart"><h3>${escapeHtml(c.title)}</h3>${body}</div>`;
}

export function htmlPage(page: HtmlPage): string {
  const charts = page.sections
    .flatMap((s) => s.charts)
    .filter((c) => 'spec' in c)
    .map((c) => ({ id: c.id, spec: (c as { spec: ChartConfiguration }).spec }));
  const sections = page.sections.map(
    (s) =>
      `<h2>${escapeHtml(s.heading)}</h2>\n<p>${escapeHtml(s.intro)}</p>\n<div class="grid">${s.charts.map(chartHtml).join('\n')}</div>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${page.table}
<ul class="notes">${page.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
${sections.join('\n')}
<script>${chartJsSource()}</script>
<script type="application/json" id="kd-report-data">${jsonForScript({ charts })}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
