// Runs kd bench (ours, and the peer when asked, alternating) and writes engine.{json,md}.
import { join } from 'node:path';
import { writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';
import { benchOurs, median, REFERENCE, SMOKE, type OursResult } from './engineBench.js';
import { runPeer, type PeerResult } from './peer.js';

export interface BenchOptions { peer: boolean; 'peer-script': string; python: string; rounds: number; smoke: boolean; backend?: string; out: string; threads: number; replicas: number }

export async function runBench(opts: BenchOptions, log: (m: string) => void): Promise<string> {
  const shape = opts.smoke ? SMOKE : REFERENCE;
  const ours: OursResult[] = [];
  const peers: PeerResult[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    ours.push(await benchOurs(shape, opts.backend, log, opts.replicas));
    if (opts.peer) {
      log(`bench: peer round ${r + 1}`);
      peers.push(await runPeer(opts['peer-script'], shape, opts.threads, opts.python));
      log(`bench: peer ${JSON.stringify(peers[peers.length - 1])}`);
    }
  }
  const m = (f: (o: OursResult) => number) => median(ours.map(f));
  const p = (f: (o: PeerResult) => number) => (peers.length ? median(peers.map(f)) : NaN);
  const rows: Array<[string, number, number, string]> = [
    [`training, target tokens/s (tfjs ${ours[0].backend}, ${ours[0].trainReplicas} replica${ours[0].trainReplicas > 1 ? 's' : ''})`, m((o) => o.trainTgtTokensPerS), p((x) => x.train_tgt_tokens_per_s), '>= 0.5'],
    ['greedy decoding, sentences/s (onnxruntime, KV cache)', m((o) => o.greedySentencesPerS.onnx), p((x) => x.greedy_sentences_per_s), '>= 2'],
    [`beam-${shape.beams} decoding, sentences/s (onnxruntime) vs peer greedy`, m((o) => o.beamSentencesPerS.onnx), p((x) => x.greedy_sentences_per_s), '>= 1'],
    ['greedy decoding, sentences/s (tfjs, no cache)', m((o) => o.greedySentencesPerS.tfjs), p((x) => x.greedy_sentences_per_s), ''],
  ];
  const fmt = (x: number) => (Number.isNaN(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const table = [
    '| measure | kd | PyTorch peer | kd / peer | target |', '|---|---:|---:|---:|---:|',
    ...rows.map(([name, a, b, target]) => `| ${name} | ${fmt(a)} | ${fmt(b)} | ${Number.isNaN(b) ? '-' : (a / b).toFixed(2)} | ${target} |`),
    `| peak memory, MB (kd process) | ${m((o) => o.peakRssMb).toFixed(0)} | | | |`,
  ].join('\n');
  const s = shape;
  const md = [
    `# Throughput${opts.smoke ? ' (smoke run: tiny model, figures mean nothing)' : ''}`, '',
    table, '',
    `Model: vocabulary ${s.model.vocabSize}, d_model ${s.model.dModel}, feed-forward ${s.model.ffDim}, ${s.model.heads} heads, ${s.model.encLayers}+${s.model.decLayers} layers, tied embeddings (${ours[0].params.toLocaleString('en')} parameters); `
      + `training batch ${s.batch} x ${s.srcLen} source + ${s.tgtLen} target tokens, Adam, float32, median of ${s.steps} steps after ${s.warmup} warm-up; `
      + `decoding ${s.decodeSentences} sentences in one batch, ${s.tgtLen} target tokens each (eos banned so every system decodes the full length).`,
    opts.peer ? `Peer: ${peers[0].peer}, ${peers[0].threads} threads; ${opts.rounds} round(s), ours then peer, medians shown.` : 'Peer not run (kd bench --peer runs it).',
    `Machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}. Command: kd bench${opts.peer ? ' --peer' : ''}${opts.smoke ? ' --smoke' : ''}${opts.rounds > 1 ? ` --rounds ${opts.rounds}` : ''}.`,
  ].join('\n');
  const name = opts.smoke ? 'engine-smoke' : 'engine';
  await writeJsonAtomic(join(opts.out, `${name}.json`), { shape, ours, peers, table: rows });
  writeTextAtomicSync(join(opts.out, `${name}.md`), `${md}\n`);
  log(`bench: written ${join(opts.out, `${name}.json`)}, ${join(opts.out, `${name}.md`)}`);
  return md;
}
