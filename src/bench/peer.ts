// The PyTorch peer (../shared/bench/torch_peer.py), run as a child process with the same model
// and batch shape. It is a yardstick: never a dependency, found only when asked for.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BenchShape } from './engineBench.js';

export interface PeerResult {
  peer: string; threads: number; params: number;
  train_tgt_tokens_per_s: number; train_step_s: number; greedy_sentences_per_s: number;
}

export function peerArgs(shape: BenchShape, threads: number): string[] {
  const m = shape.model;
  return ['--json', '--threads', String(threads), '--vocab', String(m.vocabSize), '--d-model', String(m.dModel), '--ff', String(m.ffDim),
    '--heads', String(m.heads), '--enc-layers', String(m.encLayers), '--dec-layers', String(m.decLayers), '--batch', String(shape.batch),
    '--src-len', String(shape.srcLen), '--tgt-len', String(shape.tgtLen), '--steps', String(shape.steps), '--decode-sentences', String(shape.decodeSentences)];
}

export function runPeer(script: string, shape: BenchShape, threads: number, python = 'python3'): Promise<PeerResult> {
  if (!existsSync(script)) throw new Error(`${script}: the peer script is missing (--peer-script names it)`);
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, ...peerArgs(shape, threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new Error(`cannot run ${python}: ${e.message}`)));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        const hint = /No module named 'torch'/.test(err) ? ' (install it: apt-get install python3-torch libopenblas0-pthread)' : '';
        reject(new Error(`the peer failed (exit ${code})${hint}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      } else resolve(JSON.parse(last) as PeerResult);
    });
  });
}
