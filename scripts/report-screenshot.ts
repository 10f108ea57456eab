// A report's screenshot for the README: opens eval/NAME/report.html in headless Chromium with the
// code the browser test uses (src/report/browserView.ts) and saves the page as a PNG.
//   npx tsx scripts/report-screenshot.ts eval/demo/report.html eval/demo/report.png
import { findChromium, viewReport } from '../src/report/browserView.js';

const [html, png] = process.argv.slice(2);
if (!html || !png) throw new Error('usage: report-screenshot.ts REPORT.html OUT.png');
const chromium = findChromium();
if (!chromium) throw new Error('no Chromium found (apt-get install chromium)');
const seen = await viewReport(html, { chromium, screenshot: png });
if (seen.consoleErrors.length || seen.pageErrors.length)
  throw new Error(`${html}: ${[...seen.consoleErrors, ...seen.pageErrors].join('; ')}`);
process.stderr.write(`${png}: ${seen.charts.length} charts\n`);
