// Runs kd bench: for each round and shape, ours (a fresh `kd bench --measure-ours SHAPE` process)
// then the peer's (when asked); medians over the rounds; writes engine.{json,md}.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';
import {
  BENCH_ENGINES,
  type BenchShape,
  median,
  type OursResult,
  SHAPE_NAMES,
  type ShapeName,
  SHAPES,
  SMOKE_SHAPES,
  trainingFlops,
} from './engineBench.js';
import { type PeerResult, type PeerRun, runPeer } from './peer.js';

export interface BenchOptions {
  peer: boolean;
  'peer-script': string;
  python: string;
  rounds: number;
  smoke: boolean;
  shapes: string;
  engine: string;
  backend?: string;
  out: string;
  threads: number;
  replicas: number;
  'measure-ours'?: string;
}

/** engine.json's int8 block, per shape: decoding the int8 export, medians over rounds (ratios against the peer's float32 greedy). */
export interface Int8Decoding {
  greedy: number;
  beam: number;
  peerGreedy: number | null;
  greedyRatio: number | null;
  beamRatio: number | null;
  beamOverFp32: number;
}

/** One row of engine.json: kd against the peer on one measure and shape; ratio = kd / peer, met when ratio >= target. */
export interface BenchRow {
  measure: string;
  shape: ShapeName;
  kd: number;
  peer: number | null;
  ratio: number | null;
  target: number;
}

const MEASURES: Array<{
  measure: string;
  target: number;
  kd: (o: OursResult) => number;
  peer: (p: PeerResult) => number;
}> = [
  {
    measure: 'training target tokens/s',
    target: 1.0,
    kd: (o) => o.trainTgtTokensPerS,
    peer: (p) => p.train_tgt_tokens_per_s,
  },
  {
    measure: 'greedy sentences/s vs peer with KV cache',
    target: 1.5,
    kd: (o) => o.greedySentencesPerS,
    peer: (p) => p.greedy_cached_sentences_per_s,
  },
  {
    measure: 'beam-5 sentences/s vs peer greedy with KV cache',
    target: 0.75,
    kd: (o) => o.beamSentencesPerS,
    peer: (p) => p.greedy_cached_sentences_per_s,
  },
];

export function benchShapes(names: string, smoke: boolean): Array<[ShapeName, BenchShape]> {
  const table = smoke ? SMOKE_SHAPES : SHAPES;
  const wanted = names
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of wanted) {
    if (!(SHAPE_NAMES as readonly string[]).includes(n))
      throw new Error(`unknown bench shape '${n}' (known: ${SHAPE_NAMES.join(', ')})`);
  }
  if (!wanted.length) throw new Error(`--shapes names none (known: ${SHAPE_NAMES.join(', ')})`);
  return SHAPE_NAMES.filter((n) => wanted.includes(n)).map((n) => [n, table[n]]);
}

/** Ours for one shape, in a fresh kd process (its memory is that shape's alone, as the peer's is). */
export function runOurs(
  kdScript: string,
  shape: ShapeName,
  opts: BenchOptions,
  log: (m: string) => void,
): Promise<OursResult> {
  const args = [
    kdScript,
    'bench',
    '--measure-ours',
    shape,
    '--engine',
    opts.engine,
    '--replicas',
    String(opts.replicas),
  ];
  if (opts.smoke) args.push('--smoke');
  if (opts.backend) args.push('--backend', opts.backend);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let pending = '';
    const tail: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const lines = (pending + d).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        log(line);
        tail.push(line);
        if (tail.length > 3) tail.shift();
      }
    });
    child.on('error', (e) => reject(new Error(`cannot run ${process.execPath} ${kdScript}: ${e.message}`)));
    child.on('close', (code) => {
      if (pending) log(pending);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{'))
        reject(
          new Error(
            `kd bench --measure-ours ${shape} failed (exit ${code}): ${[...tail, pending].filter(Boolean).join(' | ')}`,
          ),
        );
      else resolve(JSON.parse(last) as OursResult);
    });
  });
}

const fmt = (x: number | null) =>
  x === null || Number.isNaN(x) ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(3);
const medianOrNull = (xs: Array<number | null>): number | null => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? median(v) : null;
};

export async function runBench(
  opts: BenchOptions,
  log: (m: string) => void,
  kdScript = process.argv[1],
): Promise<string> {
  if (!(BENCH_ENGINES as readonly string[]).includes(opts.engine))
    throw new Error(`unknown training engine '${opts.engine}' (known: ${BENCH_ENGINES.join(', ')})`);
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1)
    throw new Error(`--rounds must be a whole number >= 1 (got ${opts.rounds})`);
  const shapes = benchShapes(opts.shapes, opts.smoke);
  const ours = Object.fromEntries(shapes.map(([n]) => [n, [] as OursResult[]])) as Record<ShapeName, OursResult[]>;
  const peers = Object.fromEntries(shapes.map(([n]) => [n, [] as PeerRun[]])) as Record<ShapeName, PeerRun[]>;
  const started = performance.now();
  for (let r = 1; r <= opts.rounds; r++) {
    for (const [name, shape] of shapes) {
      log(`bench: round ${r}/${opts.rounds}, ${name}: kd`);
      const o = await runOurs(kdScript, name, opts, log);
      ours[name].push(o);
      log(
        `bench: ${name} kd: ${fmt(o.trainTgtTokensPerS)} target tokens/s, greedy ${fmt(o.greedySentencesPerS)}, beam-${shape.beams} ${fmt(o.beamSentencesPerS)} sent/s, ${fmt(o.peakRssMb)} MB`,
      );
      if (opts.peer) {
        log(`bench: round ${r}/${opts.rounds}, ${name}: peer`);
        const p = await runPeer(opts['peer-script'], shape, opts.threads, opts.python);
        peers[name].push(p);
        log(
          `bench: ${name} peer: ${fmt(p.train_tgt_tokens_per_s)} target tokens/s, greedy ${fmt(p.greedy_cached_sentences_per_s)} sent/s (KV cache), ${fmt(p.peakRssMb)} MB`,
        );
      }
    }
  }
  const wallS = (performance.now() - started) / 1000;

  const rows: BenchRow[] = [];
  const training: Record<string, object> = {};
  for (const [name, shape] of shapes) {
    const o = ours[name];
    const p = peers[name];
    for (const m of MEASURES) {
      const kd = median(o.map(m.kd));
      const peer = p.length ? median(p.map(m.peer)) : null;
      rows.push({ measure: m.measure, shape: name, kd, peer, ratio: peer ? kd / peer : null, target: m.target });
    }
    const flops = trainingFlops(shape);
    const tokens = shape.batch * shape.tgtLen;
    const gflops = (tokensPerS: number | null) => (tokensPerS === null ? null : ((flops / 1e9) * tokensPerS) / tokens);
    training[name] = {
      params: o[0].params,
      gflopPerStep: flops / 1e9,
      kd: {
        engine: o[0].engine,
        ortThreads: o[0].ortThreads,
        ortLanes: o[0].ortLanes,
        ortProviders: o[0].ortProviders,
        replicas: o[0].trainReplicas,
        gflopPerS: gflops(median(o.map((x) => x.trainTgtTokensPerS))),
        peakRssMb: median(o.map((x) => x.peakRssMb)),
        setupS: median(o.map((x) => x.setupS)),
      },
      peer: p.length
        ? {
            peer: p[0].peer,
            threads: p[0].threads,
            params: p[0].params,
            gflopPerS: gflops(median(p.map((x) => x.train_tgt_tokens_per_s))),
            peakRssMb: medianOrNull(p.map((x) => x.peakRssMb)),
            rssFrom: p[0].rssFrom,
          }
        : null,
    };
  }

  // int8 decoding is reported beside the rows, not in them: the targets are the fp32 model's
  const int8: Record<string, Int8Decoding> = {};
  for (const [name] of shapes) {
    const o = ours[name];
    const peerGreedy = peers[name].length ? median(peers[name].map((p) => p.greedy_cached_sentences_per_s)) : null;
    const greedy = median(o.map((x) => x.int8GreedySentencesPerS));
    const beam = median(o.map((x) => x.int8BeamSentencesPerS));
    int8[name] = {
      greedy,
      beam,
      peerGreedy,
      greedyRatio: peerGreedy ? greedy / peerGreedy : null,
      beamRatio: peerGreedy ? beam / peerGreedy : null,
      beamOverFp32: beam / median(o.map((x) => x.beamSentencesPerS)),
    };
  }

  const command =
    `kd bench${opts.peer ? ' --peer' : ''}${opts.smoke ? ' --smoke' : ''} --rounds ${opts.rounds}${opts.engine !== 'onnx' ? ` --engine ${opts.engine}` : ''}` +
    `${shapes.length < SHAPE_NAMES.length ? ` --shapes ${shapes.map(([n]) => n).join(',')}` : ''}`;
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? '', vector: widestVectors(), node: process.version };
  const md = report(opts, shapes, rows, training, int8, peers, command, machine, wallS);
  const name = opts.smoke ? 'engine-smoke' : 'engine';
  await writeJsonAtomic(join(opts.out, `${name}.json`), {
    command,
    machine,
    wallS,
    engine: opts.engine,
    rounds: opts.rounds,
    smoke: opts.smoke,
    shapes: Object.fromEntries(shapes),
    rows,
    training,
    int8,
    ours,
    peers: opts.peer ? peers : null,
  });
  writeTextAtomicSync(join(opts.out, `${name}.md`), `${md}\n`);
  log(`bench: written ${join(opts.out, `${name}.json`)}, ${join(opts.out, `${name}.md`)}`);
  return md;
}

function report(
  opts: BenchOptions,
  shapes: Array<[ShapeName, BenchShape]>,
  rows: BenchRow[],
  training: Record<string, any>,
  int8: Record<string, Int8Decoding>,
  peers: Record<ShapeName, PeerRun[]>,
  command: string,
  machine: { cores: number; cpu: string; vector: string; node: string },
  wallS: number,
): string {
  const met = (r: BenchRow) => (r.ratio === null ? '-' : r.ratio >= r.target ? 'yes' : 'no');
  const main = [
    '| shape | measure | kd | PyTorch peer | kd / peer | target | met |',
    '|---|---|---:|---:|---:|---:|:-:|',
    ...rows.map(
      (r) =>
        `| ${r.shape} | ${r.measure} | ${fmt(r.kd)} | ${fmt(r.peer)} | ${r.ratio === null ? '-' : r.ratio.toFixed(2)} | ${r.target.toFixed(2)} | ${met(r)} |`,
    ),
  ];
  const models = [
    '| shape | model | parameters | training GFLOP / step | kd GFLOP/s | peer GFLOP/s | kd peak RSS, MB | peer peak RSS, MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...shapes.map(([n, s]) => {
      const t = training[n];
      const m = s.model;
      return (
        `| ${n} | V${m.vocabSize} d${m.dModel} ff${m.ffDim} ${m.heads}h ${m.encLayers}+${m.decLayers} | ${t.params.toLocaleString('en')} | ${fmt(t.gflopPerStep)} ` +
        `| ${fmt(t.kd.gflopPerS)} | ${fmt(t.peer?.gflopPerS ?? null)} | ${fmt(t.kd.peakRssMb)} | ${fmt(t.peer?.peakRssMb ?? null)} |`
      );
    }),
  ];
  const ratio = (x: number | null) => (x === null ? '-' : x.toFixed(2));
  const quantized = [
    '| shape | int8 greedy, sentences/s | / peer greedy | int8 beam-5, sentences/s | / peer greedy | int8 beam-5 / fp32 beam-5 |',
    '|---|---:|---:|---:|---:|---:|',
    ...shapes.map(([n]) => {
      const q = int8[n];
      return `| ${n} | ${fmt(q.greedy)} | ${ratio(q.greedyRatio)} | ${fmt(q.beam)} | ${ratio(q.beamRatio)} | ${q.beamOverFp32.toFixed(2)} |`;
    }),
  ];
  const s0 = shapes[0][1];
  const k0 = training[shapes[0][0]].kd;
  const firstPeer = Object.values(peers).find((p) => p.length)?.[0];
  return [
    `# Throughput against PyTorch${opts.smoke ? ' (smoke run: tiny models, figures mean nothing)' : ''}`,
    '',
    ...main,
    '',
    ...models,
    '',
    ...quantized,
    '',
    `Training: ${k0.engine}${k0.replicas > 1 ? `, ${k0.replicas} replicas` : ''}${opts.engine === 'onnx' ? ` (onnxruntime ${k0.ortProviders}, kernel threads: ${k0.ortThreads || 'every core'})` : ''}; ` +
      `batch ${s0.batch} x ${s0.srcLen} source + ${s0.tgtLen} target tokens, cross-entropy, Adam, float32, no dropout; median step of ${shapes.map(([n, s]) => `${s.steps} (${n})`).join(', ')} after ${s0.warmup} warm-up. ` +
      'GFLOP/s counts the matrix multiplications of a step (forward 2 x multiply-adds, training 3 x forward; src/bench/engineBench.ts trainingFlops), for both sides from their target tokens/s.',
    `Decoding: onnxruntime with the KV cache (an export of the trained weights; the whole search in one graph${k0.ortLanes > 1 ? `, each batch shared among ${k0.ortLanes} worker lanes of one kernel thread each` : ''}), ${s0.decodeSentences} sentences in one batch, ${s0.tgtLen} target tokens each (eos banned so every system decodes the full length); ` +
      "greedy and beam-5 both against the peer's greedy decoding with a KV cache. " +
      "int8 (not in the targets' rows, which are float32 against float32): the same weights' kd export --quantize int8 (int8 weights per output channel, activations quantized as they come), decoded the same way right after.",
    opts.peer && firstPeer
      ? `Peer: ${firstPeer.peer}, ${firstPeer.threads} threads. ${opts.rounds} round(s); in each, per shape, kd then the peer; medians shown. ` +
        `Peak memory: ru_maxrss of each process (kd: one process per shape and round, process.resourceUsage(); the peer: ${firstPeer.rssFrom}), median over rounds.`
      : `Peer not run (kd bench --peer runs it). ${opts.rounds} round(s), medians shown. Peak memory: ru_maxrss of each kd process (one per shape and round).`,
    `Machine: ${machine.cores} cores (${machine.cpu}, ${machine.vector}), Node ${machine.node}. Command: ${command} (${(wallS / 60).toFixed(1)} min wall).`,
  ].join('\n');
}

/**
 * The widest vector instructions the CPU has (Linux /proc/cpuinfo), beside its name in the report:
 * machines of one kind differ, and the ratios with them (the same engine's reference-shape training
 * 0.98x the peer in session 13, 1.34x on an AVX-512 machine in session 16).
 */
function widestVectors(): string {
  let flags = '';
  try {
    flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  } catch {
    return 'vector extensions unknown';
  }
  const has = (f: string) => flags.split(/\s+/).includes(f);
  return has('avx512f') ? 'AVX-512' : has('avx2') ? 'AVX2' : has('avx') ? 'AVX' : 'no AVX';
}
