// kd score through its real command line.
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runKd, tempFiles } from './helpers/runKd.js';

const REF1 = 'The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n';
const REF2 = 'The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n';
const HYP = "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n";

describe('kd score', () => {
  const dir = tempFiles({
    ref1: REF1,
    ref2: REF2,
    hyp: HYP,
    hypCrlf: HYP.replaceAll('\n', '\r\n'),
    ref1Crlf: REF1.replaceAll('\n', '\r\n'),
    short: 'one line\n',
    bad: Buffer.from([0x61, 0x0a, 0xc3, 0x28, 0x0a]),
  });
  const f = (name: string) => join(dir, name);

  it('prints a JSON array with full-precision scores and BLEU statistics', async () => {
    const r = await runKd([
      'score',
      f('ref1'),
      f('ref2'),
      '--input',
      f('hyp'),
      '--metrics',
      'bleu',
      'chrf',
      'ter',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.map((m: { name: string }) => m.name)).toEqual(['BLEU', 'chrF2', 'TER']);
    expect(Math.abs(out[0].score - 48.530827)).toBeLessThan(1e-6);
    expect(out[0]).toMatchObject({ counts: [14, 7, 5, 3], totals: [17, 14, 11, 8], sys_len: 17, ref_len: 18 });
    expect(out[0].signature).toBe('nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:kd-0.1.0');
    expect(out[0].precisions).toHaveLength(4);
    expect(out[0].bp).toBeCloseTo(0.9428731, 6);
  });

  it('takes sacrebleu flag names: -tok, -lc, -s, -sv, -cw', async () => {
    const r = await runKd([
      'score',
      f('ref1'),
      '-i',
      f('hyp'),
      '-m',
      'bleu',
      'chrf',
      '-tok',
      'intl',
      '-lc',
      '-s',
      'floor',
      '-sv',
      '0.2',
      '-cw',
      '2',
      '-f',
      'json',
    ]);
    const [bleu, chrf] = JSON.parse(r.stdout);
    expect(bleu.signature).toBe('nrefs:1|case:lc|eff:no|tok:intl|smooth:floor[0.20]|version:kd-0.1.0');
    expect(chrf.name).toBe('chrF2++');
  });

  it('reads CRLF files exactly as LF files', async () => {
    const lf = await runKd(['score', f('ref1'), '-i', f('hyp'), '-m', 'bleu', 'chrf', 'ter', '-f', 'json']);
    const crlf = await runKd(['score', f('ref1Crlf'), '-i', f('hypCrlf'), '-m', 'bleu', 'chrf', 'ter', '-f', 'json']);
    expect(crlf.stdout).toBe(lf.stdout);
  });

  it('prints one JSON line per sentence with --sentence-level', async () => {
    const r = await runKd(['score', f('ref1'), '-i', f('hyp'), '-m', 'bleu', 'chrf', '--sentence-level', '-f', 'json']);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].line).toBe(1);
    expect(lines[0].metrics[0].score).toBeCloseTo(100, 9);
    expect(lines[0].metrics[0].signature).toContain('eff:yes');
  });

  it('reads the hypotheses from standard input when --input is not given', async () => {
    const r = await runKd(['score', f('ref1'), '-f', 'json'], { input: HYP });
    expect(JSON.parse(r.stdout)[0].sys_len).toBe(17);
  });

  it('names both files and both counts when line counts differ', async () => {
    const r = await runKd(['score', f('ref1'), '-i', f('short')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f('ref1')}: has 3 lines but the hypothesis file ${f('short')} has 1`);
  });

  it('names the file and line of invalid UTF-8, and a missing file', async () => {
    expect((await runKd(['score', f('ref1'), '-i', f('bad')])).stderr).toContain(`${f('bad')}:2: invalid UTF-8`);
    expect((await runKd(['score', f('nope'), '-i', f('hyp')])).stderr).toContain(`${f('nope')}: no such file`);
  });

  it('rejects unknown flags and metric names with usage exit code 2', async () => {
    expect((await runKd(['score', f('ref1'), '-i', f('hyp'), '--bogus'])).code).toBe(2);
    const r = await runKd(['score', f('ref1'), '-i', f('hyp'), '-m', 'meteor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid values/);
  });
});
