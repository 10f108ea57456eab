// Starting a worker thread on one of kd's own modules. The launcher's bundle (bin/bundle.mjs) builds
// each worker module as an entry of its own beside the chunks, so there the thread loads NAME.mjs;
// run from the sources (tsx, vitest) a worker inherits no loader hooks, so it first registers tsx
// and then imports the .ts module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** source: the worker's .ts module, as new URL('./name.ts', import.meta.url) in the module that starts it */
export function startWorker(source: URL, workerData: unknown): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) {
    const bundled = new URL(basename(fileURLToPath(source)).replace(/\.ts$/, '.mjs'), self);
    return new Worker(bundled, { workerData });
  }
  const pkg = createRequire(self).resolve('tsx/package.json');
  type Target = string | { default: string };
  const target = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: Target }> }).exports[
    './esm/api'
  ].import;
  const api = typeof target === 'string' ? target : target.default;
  const tsxApi = pathToFileURL(join(dirname(pkg), api)).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
