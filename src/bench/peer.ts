// The PyTorch peer (../shared/bench/torch_peer.py), run as a child process with the same model
// and batch shape. It is a yardstick: never a dependency, found only when asked for.
// Its peak memory: ru_maxrss of the Python process, as GNU time reports it (`/usr/bin/time -v`)
// or, where that is missing, as Python reports it itself (a wrapper around the script).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BenchShape } from './engineBench.js';

export interface PeerResult {
  peer: string;
  threads: number;
  params: number;
  train_tgt_tokens_per_s: number;
  train_step_s: number;
  greedy_sentences_per_s: number; // without a cache
  greedy_cached_sentences_per_s: number; // with a key/value cache
}

/** The peer's figures and its process's peak resident memory (null where it could not be read). */
export interface PeerRun extends PeerResult {
  peakRssMb: number | null;
  rssFrom: string;
}

export function peerArgs(shape: BenchShape, threads: number): string[] {
  const m = shape.model;
  return [
    '--json',
    '--threads',
    String(threads),
    '--vocab',
    String(m.vocabSize),
    '--d-model',
    String(m.dModel),
    '--ff',
    String(m.ffDim),
    '--heads',
    String(m.heads),
    '--enc-layers',
    String(m.encLayers),
    '--dec-layers',
    String(m.decLayers),
    '--batch',
    String(shape.batch),
    '--src-len',
    String(shape.srcLen),
    '--tgt-len',
    String(shape.tgtLen),
    '--steps',
    String(shape.steps),
    '--decode-sentences',
    String(shape.decodeSentences),
  ];
}

const GNU_TIME = '/usr/bin/time';
const RSS_MARK = 'kd-peer-maxrss-kb';
// runs the script as __main__ with its arguments, then prints the process's ru_maxrss (kB on Linux)
const WRAPPER = `import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name='__main__')
finally:
    sys.stderr.write('\\n${RSS_MARK} %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
`;

export function runPeer(script: string, shape: BenchShape, threads: number, python = 'python3'): Promise<PeerRun> {
  if (!existsSync(script)) throw new Error(`${script}: the peer script is missing (--peer-script names it)`);
  const tmp = mkdtempSync(join(tmpdir(), 'kd-peer-'));
  const timeFile = join(tmp, 'time.txt');
  const timed = existsSync(GNU_TIME);
  const [cmd, args] = timed
    ? [GNU_TIME, ['-v', '-o', timeFile, python, script, ...peerArgs(shape, threads)]]
    : [python, ['-c', WRAPPER, script, ...peerArgs(shape, threads)]];
  return new Promise<PeerRun>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        const hint = /No module named 'torch'/.test(err)
          ? ' (install it: apt-get install python3-torch libopenblas0-pthread)'
          : '';
        reject(new Error(`the peer failed (exit ${code})${hint}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      let kb: number | undefined;
      if (timed) {
        const m = existsSync(timeFile)
          ? /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'))
          : null;
        kb = m ? Number(m[1]) : undefined;
      } else {
        const m = new RegExp(`${RSS_MARK} (\\d+)`).exec(err);
        kb = m ? Number(m[1]) : undefined;
      }
      const result = JSON.parse(last) as PeerResult;
      resolve({
        ...result,
        peakRssMb: kb === undefined ? null : kb / 1024,
        rssFrom: timed ? `${GNU_TIME} -v` : 'resource.getrusage in the peer process',
      });
    });
  }).finally(() => rmSync(tmp, { recursive: true, force: true }));
}
