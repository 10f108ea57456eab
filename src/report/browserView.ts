// A report.html as a person would see it: loaded in headless Chromium from its file, the network
// off, every request other than the file itself refused and recorded (a self-contained page makes
// none). What came back: console and page errors, and for every chart its datasets' point counts,
// how many points landed inside the plot area, and how many plot-area pixels carry a dataset's
// colour (the data was painted, not only axes and legend). test/report.browser.test.ts asserts on
// it; the same code takes a report's screenshot (scripts/report-screenshot.ts).
// puppeteer-core is a development dependency: imported here only when a page is viewed.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface DatasetSeen {
  label: string;
  points: number;
  placed: number;
}
export interface ChartSeen {
  id: string;
  type: string;
  datasets: DatasetSeen[];
  coloredPixels: number;
}
export interface PageSeen {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  charts: ChartSeen[];
  missing: string[];
}

/** Chromium's path: $CHROMIUM_PATH, or where Debian's and Ubuntu's packages put it; null if none. */
export function findChromium(): string | null {
  return (
    [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p)) ??
    null
  );
}

// runs in the page, as a string: a function would be serialised after the test runner's transform
const INSPECT = `(() => {
  const norm = document.createElement('canvas').getContext('2d');
  const hex = (c) => { norm.fillStyle = '#010203'; norm.fillStyle = c; return norm.fillStyle; };
  const charts = [...document.querySelectorAll('canvas')].map((canvas) => {
    const chart = Chart.getChart(canvas);
    if (!chart) return { id: canvas.id, type: 'none', datasets: [], coloredPixels: 0 };
    const a = chart.chartArea;
    const inside = (e) => Number.isFinite(e.x) && Number.isFinite(e.y) && e.x >= a.left - 1 && e.x <= a.right + 1 && e.y >= a.top - 1 && e.y <= a.bottom + 1;
    const datasets = chart.data.datasets.map((d, i) => ({ label: d.label, points: d.data.length, placed: chart.getDatasetMeta(i).data.filter(inside).length }));
    const colors = new Set(chart.data.datasets.map((d) => hex(d.borderColor)));
    const r = chart.currentDevicePixelRatio;
    const img = canvas.getContext('2d').getImageData(Math.floor(a.left * r), Math.floor(a.top * r), Math.ceil((a.right - a.left) * r), Math.ceil((a.bottom - a.top) * r)).data;
    let coloredPixels = 0;
    for (let p = 0; p < img.length; p += 4) {
      if (img[p + 3] === 255 && colors.has('#' + [img[p], img[p + 1], img[p + 2]].map((v) => v.toString(16).padStart(2, '0')).join(''))) coloredPixels++;
    }
    return { id: canvas.id, type: chart.config.type, datasets, coloredPixels };
  });
  const missing = [...document.querySelectorAll('.missing')].map((e) => e.closest('.chart').querySelector('h3').textContent);
  return { charts, missing };
})()`;

export async function viewReport(
  htmlFile: string,
  opts: { chromium: string; screenshot?: string; width?: number },
): Promise<PageSeen> {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: opts.width ?? 1280, height: 900 });
    await page.setOfflineMode(true);
    const url = pathToFileURL(htmlFile).href;
    const seen: Omit<PageSeen, 'charts' | 'missing'> = { consoleErrors: [], pageErrors: [], requests: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') seen.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.url() === url) return void r.continue();
      seen.requests.push(r.url());
      void r.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    const inPage = (await page.evaluate(INSPECT)) as Pick<PageSeen, 'charts' | 'missing'>;
    if (opts.screenshot) await page.screenshot({ path: opts.screenshot as `${string}.png`, fullPage: true });
    return { ...seen, ...inPage };
  } finally {
    await browser.close();
  }
}
