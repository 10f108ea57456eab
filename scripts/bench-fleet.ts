// Measures the generate stage on a local worker fleet against the single-process stage (issue 17):
// sentences/s of `kd generate` alone and with `--queue` and 1, 2, 4 `kd worker` processes (each
// with cores / K onnxruntime threads, so no run has more threads than cores), the time per chunk
// spent outside decoding (queue round trip, serialisation, the teacher's export and loading), and
// the time from a worker's SIGKILL to its chunk's completion by another worker. Every fleet run's
// outputs are compared with the single process's (the table says whether they are equal: workers
// run other thread counts than the single process). Needs redis-server (it starts its own on
// 127.0.0.1). Run it on an idle machine; it trains the pipeline's teacher once in --workdir.
//   npx tsx scripts/bench-fleet.ts [--pipeline pipelines/demo.yaml] [--chunk 100] [--workers 1,2,4]
//     [--workdir /tmp/kd-bench-fleet] [--lock-ms 30000] [--stalled-ms 30000] [--out eval/bench]
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import yaml from 'js-yaml';

const KD = resolve('bin/kd.mjs');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const opts = {
  pipeline: arg('pipeline', 'pipelines/demo.yaml'),
  chunk: Number(arg('chunk', '100')),
  workers: arg('workers', '1,2,4').split(',').map(Number),
  workdir: resolve(arg('workdir', '/tmp/kd-bench-fleet')),
  lockMs: arg('lock-ms', '30000'),
  stalledMs: arg('stalled-ms', '30000'),
  out: arg('out', 'eval/bench'),
};
const cores = cpus().length;
const log = (m: string) => process.stderr.write(`[bench-fleet] ${m}\n`);

/** A kd process; resolves with its exit code and output. */
function kd(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [KD, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out, done: new Promise((r) => child.on('close', r)) };
}
async function must(p: ReturnType<typeof kd>, what: string) {
  if ((await p.done) !== 0) throw new Error(`${what} failed:\n${p.output().slice(-3000)}`);
}

async function redis(): Promise<{ url: string; stop: () => void }> {
  const port = await new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as { port: number };
      s.close(() => res(p));
    });
  });
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await new Promise<void>((res, rej) => {
    let out = '';
    child.on('error', rej);
    child.stdout.on('data', (d) => (out += d) && out.includes('Ready to accept connections') && res());
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

const genDir = (work: string) =>
  join(
    work,
    readdirSync(work).find((d) => d.startsWith('generate-'))!,
  );
const stageSeconds = (work: string) =>
  (JSON.parse(readFileSync(join(genDir(work), 'done.json'), 'utf8')) as { stageSeconds: number }).stageSeconds;
function outputsHash(work: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void =>
    readdirSync(d)
      .sort()
      .forEach((n) => {
        const path = join(d, n);
        if (['parts', 'teacher-onnx', 'done.json', 'result.json'].includes(n)) return;
        if (statSync(path).isDirectory()) walk(path);
        else h.update(n).update(readFileSync(path));
      });
  walk(genDir(work));
  return h.digest('hex').slice(0, 16);
}
const fresh = (name: string) => {
  const dir = join(opts.workdir, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(opts.workdir, 'base'), dir, { recursive: true });
  return dir;
};

// the pipeline with smaller chunks (several per worker), its teacher trained once
mkdirSync(opts.workdir, { recursive: true });
const p = yaml.load(readFileSync(opts.pipeline, 'utf8')) as {
  generate?: Record<string, unknown>;
  corpus: Record<string, string>;
};
for (const split of ['train', 'dev', 'test']) p.corpus[split] = resolve(p.corpus[split]);
p.generate = { ...p.generate, chunk: opts.chunk };
const file = join(opts.workdir, 'pipeline.yaml');
writeFileSync(file, yaml.dump(p));
log(`teacher (trained once in ${opts.workdir}/base)`);
await must(kd(['teacher', file, '--workdir', join(opts.workdir, 'base')]), 'kd teacher');

const single = fresh('single');
let t0 = performance.now();
await must(kd(['generate', file, '--workdir', single], { KD_ORT_THREADS: String(cores) }), 'kd generate');
const sentences = (JSON.parse(readFileSync(join(genDir(single), 'result.json'), 'utf8')) as { sentences: number })
  .sentences;
const chunks = Math.ceil(sentences / opts.chunk);
const rows = [
  {
    run: 'single process',
    workers: 0,
    threads: cores,
    stageSeconds: stageSeconds(single),
    wallSeconds: (performance.now() - t0) / 1000,
    decodeSeconds: NaN,
    equal: true,
  },
];
const reference = outputsHash(single);
log(`single process: ${rows[0].stageSeconds.toFixed(1)} s for ${sentences} sentences (${chunks} chunks)`);

for (const k of opts.workers) {
  const server = await redis();
  const threads = String(Math.max(1, Math.floor(cores / k)));
  const work = fresh(`queue-${k}`);
  const workers = Array.from({ length: k }, () => kd(['worker', '--queue', server.url], { KD_ORT_THREADS: threads }));
  t0 = performance.now();
  await must(kd(['generate', file, '--workdir', work, '--queue', server.url]), `kd generate --queue (${k} workers)`);
  const wall = (performance.now() - t0) / 1000;
  workers.forEach((w) => w.child.kill('SIGTERM'));
  await Promise.all(workers.map((w) => w.done));
  server.stop();
  // the workers' own decoding time per chunk, from their logs
  const decodeSeconds = workers
    .flatMap((w) => [...w.output().matchAll(/: \d+ sentences in ([\d.]+) s/g)].map((m) => Number(m[1])))
    .reduce((a, b) => a + b, 0);
  const equal = outputsHash(work) === reference;
  rows.push({
    run: `--queue, ${k} worker${k > 1 ? 's' : ''}`,
    workers: k,
    threads: Number(threads),
    stageSeconds: stageSeconds(work),
    wallSeconds: wall,
    decodeSeconds,
    equal,
  });
  log(
    `${k} workers: ${stageSeconds(work).toFixed(1)} s (outputs ${equal ? 'equal to' : 'DIFFER from'} the single process's)`,
  );
}

// a worker killed in the middle of a chunk: how long until another worker has finished that chunk
const server = await redis();
const work = fresh('kill');
const wargs = ['worker', '--queue', server.url, '--lock-ms', opts.lockMs, '--stalled-ms', opts.stalledMs];
const half = { KD_ORT_THREADS: String(Math.max(1, Math.floor(cores / 2))) };
const [doomed, survivor] = [kd(wargs, half), kd(wargs, half)];
const coordinator = kd(['generate', file, '--workdir', work, '--queue', server.url]);
let finished = false;
void coordinator.done.then(() => (finished = true));
// its third chunk: the teacher is loaded and it is decoding
const third = () => [...doomed.output().matchAll(/chunk \d+ of \S+ \(lines (\d+)-\d+\): started/g)][2];
while (!third()) {
  if (finished) throw new Error('the run ended before the worker to kill had taken three chunks: use smaller --chunk');
  await sleep(5);
}
const started = third();
const killedAt = performance.now();
doomed.child.kill('SIGKILL');
const part = join(genDir(work), 'parts', `${String(Number(started[1]) - 1).padStart(9, '0')}.json`);
while (!existsSync(part)) await sleep(10);
const recovery = (performance.now() - killedAt) / 1000;
await must(coordinator, 'kd generate --queue (kill)');
survivor.child.kill('SIGTERM');
await survivor.done;
server.stop();
const killEqual = outputsHash(work) === reference;
log(
  `killed worker's chunk done elsewhere after ${recovery.toFixed(1)} s (lock ${opts.lockMs} ms, stalled check ${opts.stalledMs} ms)`,
);

const base = rows[0].stageSeconds;
const md = [
  `# Generate stage on a local worker fleet (${opts.pipeline}, chunks of ${opts.chunk}: ${chunks} chunks, ${sentences} sentences, ${cores} cores)`,
  '',
  '| run | onnxruntime threads each | stage s | sentences/s | vs single | outside decoding, per chunk | outputs = single |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.run} | ${r.threads} | ${r.stageSeconds.toFixed(1)} | ${(sentences / r.stageSeconds).toFixed(1)} | ${(base / r.stageSeconds).toFixed(2)}x | ${r.workers ? `${(((r.stageSeconds * r.workers - r.decodeSeconds) / chunks) * 1000).toFixed(0)} ms` : '—'} | ${r.workers ? (r.equal ? 'yes' : '**no**') : ''} |`,
  ),
  ...(rows[1]?.workers === 1
    ? [
        '',
        `One worker against the single process: ${(((rows[1].stageSeconds - base) / chunks) * 1000).toFixed(0)} ms more per chunk.`,
      ]
    : []),
  '',
  `Outside decoding, per chunk: (stage seconds x workers - the workers' decoding seconds) / chunks: the queue round trip, serialisation, collection polls, the teacher's export and loading, and idle workers at the end. Outputs = single: every output file (result.json aside) byte for byte.`,
  `A worker SIGKILLed inside a chunk: that chunk was finished by the other worker ${recovery.toFixed(1)} s later (kd worker --lock-ms ${opts.lockMs} --stalled-ms ${opts.stalledMs}); outputs ${killEqual ? 'equal to' : '**differ from**'} the single process's.`,
  `Command: npx tsx scripts/bench-fleet.ts ${process.argv.slice(2).join(' ')}`.trim(),
].join('\n');
mkdirSync(opts.out, { recursive: true });
writeFileSync(join(opts.out, 'fleet.md'), `${md}\n`);
writeFileSync(
  join(opts.out, 'fleet.json'),
  `${JSON.stringify({ ...opts, sentences, chunks, cores, rows, killRecoverySeconds: recovery, killEqual }, null, 2)}\n`,
);
process.stdout.write(`${md}\n`);
