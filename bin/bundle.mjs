// The launcher's cache: src/ bundled by esbuild into .build/kd-<stamp>/, rebuilt whenever a
// source file changes (the stamp hashes every file's path, size and mtime). Why: loading ~100
// TypeScript modules through tsx costs seconds at every start (tens of seconds on a slow box),
// and a user should not have to remember a build step. Each stamp gets its own folder, so a kd
// already running keeps its lazily loaded chunks while another start rebuilds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const BUILD = join(ROOT, '.build');
const ENTRY = join(SRC, 'cli', 'main.ts');
const STALE_MS = 60 * 60 * 1000; // older bundles are removed once nothing can still be loading them

/** A short hash of every file under srcDir (path, size, mtime) and of this launcher's own mtime. */
export function sourceStamp(srcDir = SRC) {
  // this file's own mtime too: a change in how bundles are built must rebuild them
  const hash = createHash('sha1').update(`${statSync(fileURLToPath(import.meta.url)).mtimeMs}\n`);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        hash.update(`${relative(srcDir, path)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(srcDir);
  return hash.digest('hex').slice(0, 16);
}

async function build(outDir) {
  const esbuild = await import('esbuild');
  const tmp = `${outDir}.tmp-${process.pid}`;
  await esbuild.build({
    // worker threads load their modules by file (src/util/workerThread.ts): each is an entry of its own
    entryPoints: {
      main: ENTRY,
      gradientWorker: join(SRC, 'train', 'gradientWorker.ts'),
      sessionLaneWorker: join(SRC, 'onnx', 'sessionLaneWorker.ts'),
    },
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'silent',
  });
  try {
    renameSync(tmp, outDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true }); // another kd built the same stamp first
    if (!existsSync(outDir)) throw err;
  }
  for (const name of readdirSync(BUILD)) {
    const path = join(BUILD, name);
    if (path !== outDir && Date.now() - statSync(path).mtimeMs > STALE_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

/** kd's main(): from the bundle when it is current or can be built, else through tsx. */
export async function loadMain() {
  if (process.env.KD_DEBUG) process.setSourceMapsEnabled(true);
  if (!process.env.KD_NO_BUNDLE) {
    const outDir = join(BUILD, `kd-${sourceStamp()}`);
    try {
      if (!existsSync(join(outDir, 'main.mjs'))) await build(outDir);
      return (await import(pathToFileURL(join(outDir, 'main.mjs')).href)).main;
    } catch (err) {
      if (process.env.KD_DEBUG)
        process.stderr.write(`kd: no bundle (${err.message}); running the sources through tsx\n`);
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import(pathToFileURL(ENTRY).href)).main;
}
