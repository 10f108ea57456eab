// kd bench --smoke: the benchmark command runs end to end and writes its table (no timing is asserted).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKd, tempFiles } from './helpers/runKd.js';
import { peerArgs } from '../src/bench/peer.js';
import { REFERENCE } from '../src/bench/engineBench.js';

describe('kd bench', () => {
  it('--smoke measures training (2 data-parallel replicas: the bundled worker) and decoding, and writes engine-smoke.{json,md}', async () => {
    const out = tempFiles({});
    const r = await runKd(['bench', '--smoke', '--replicas', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'engine-smoke.json'), 'utf8'));
    const ours = json.ours[0];
    expect(ours.trainReplicas).toBe(2);
    for (const v of [ours.trainTgtTokensPerS, ours.greedySentencesPerS.tfjs, ours.greedySentencesPerS.onnx, ours.beamSentencesPerS.onnx, ours.peakRssMb]) {
      expect(v).toBeGreaterThan(0);
    }
    expect(existsSync(join(out, 'engine-smoke.md'))).toBe(true);
    expect(r.stdout).toContain('| training, target tokens/s');
  });

  it('asks the peer for the same model and shape', () => {
    const args = peerArgs(REFERENCE, 2);
    const get = (flag: string) => args[args.indexOf(flag) + 1];
    expect([get('--vocab'), get('--d-model'), get('--ff'), get('--heads'), get('--enc-layers'), get('--dec-layers')]).toEqual(['8000', '256', '1024', '4', '3', '3']);
    expect([get('--batch'), get('--src-len'), get('--tgt-len'), get('--decode-sentences'), get('--threads')]).toEqual(['32', '24', '24', '64', '2']);
  });
});
