// kill -9 at several points of the pipeline, each time rerunning: the final report equals an
// uninterrupted run's (speeds aside), with dropout on. The kill points are stage starts seen in
// kd's own log (plus a moment inside the stage), so they land in the same stages on any machine.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runKd } from './helpers/runKd.js';
import { tinyPipeline } from './helpers/tinyPipeline.js';

const KD = new URL('../bin/kd.mjs', import.meta.url).pathname;

/** Runs kd until `pattern` shows in its log, then `delayMs` more, then SIGKILL; resolves whether it was killed. */
function killOn(args: string[], pattern: RegExp, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KD, ...args]);
    let log = '';
    let armed = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      if (!armed && pattern.test(log)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0)
        reject(new Error(`kd exited with ${code} before it could be killed:\n${log.slice(-800)}`));
      else resolve(signal === 'SIGKILL');
    });
  });
}

/** A report's rows without the figures that depend on the machine's speed. */
function scores(reportJson: string) {
  const { rows } = JSON.parse(readFileSync(reportJson, 'utf8')) as { rows: Array<Record<string, unknown>> };
  return rows.map(({ system, bleuGreedy, bleuBeam, chrfBeam, bleuVsTeacher, params }) => ({
    system,
    bleuGreedy,
    bleuBeam,
    chrfBeam,
    bleuVsTeacher,
    params,
  }));
}

describe('kill -9 and rerun', () => {
  it('gives the report of an uninterrupted run', async () => {
    const { dir, file } = tinyPipeline('kd-kill-', (tiny) => {
      tiny.teacher.model.dropout = 0.1;
      tiny.student.model.dropout = 0.1;
      tiny.students = ['baseline', 'seqkd+wordkd'];
      // long enough to be killed between checkpoints
      Object.assign(tiny.teacher.train, { steps: 60, checkpointEvery: 10, evalEvery: 30 });
      Object.assign(tiny.student.train, { steps: 40, checkpointEvery: 10, evalEvery: 20 });
    });
    const run = (name: string) => [
      'run',
      file,
      '--workdir',
      join(dir, name),
      '--report-dir',
      join(dir, `${name}-report`),
    ];

    const whole = await runKd(run('whole'));
    expect(whole.code, whole.stderr).toBe(0);
    // each run resumes what the one before left, and is killed inside the next stage
    const stages = ['teacher', 'generate', 'student-baseline', 'student-seqkd-wordkd', 'eval-seqkd-wordkd'];
    let kills = 0;
    for (const stage of stages)
      if (
        await killOn(run('killed'), new RegExp(`\\[${stage}\\] (running|resuming)`), stage.startsWith('eval') ? 0 : 300)
      )
        kills++;
    expect(kills).toBeGreaterThanOrEqual(3);
    const rest = await runKd(run('killed'));
    expect(rest.code, rest.stderr).toBe(0);
    expect(scores(join(dir, 'killed-report', 'report.json'))).toEqual(scores(join(dir, 'whole-report', 'report.json')));
  });
});
