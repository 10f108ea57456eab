// One kd run per pipeline folder: a held lock is an error naming its holder, a dead holder's lock is
// taken over, and taking it removes the temporaries an interrupted run left.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { lockPipeline } from '../src/pipeline/lock.js';

describe('pipeline lock', () => {
  it('refuses a second run while the first holds the lock, and frees it on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-lock-'));
    const release = lockPipeline(dir);
    expect(() => lockPipeline(dir)).toThrow(`is in use by another kd run (pid ${process.pid}`);
    release();
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    lockPipeline(dir)();
  });

  it("takes over a dead process's lock and removes its temporaries, nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-lock-'));
    // a pid no process has (the kernel's limit is far below it)
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: 2 ** 30, host: hostname(), since: 'then' }));
    mkdirSync(join(dir, 'student-x', 'last.tmp-4242'), { recursive: true });
    writeFileSync(join(dir, 'student-x', 'result.json.4242.1700000000000.tmp'), '{');
    writeFileSync(join(dir, 'student-x', 'result.json'), '{}');
    mkdirSync(join(dir, 'generate-y', 'soft-gold'), { recursive: true });
    writeFileSync(join(dir, 'generate-y', 'soft-gold', 'shard-00000.bin.tmp'), 'x');
    const release = lockPipeline(dir);
    expect(existsSync(join(dir, 'student-x', 'last.tmp-4242'))).toBe(false);
    expect(existsSync(join(dir, 'student-x', 'result.json.4242.1700000000000.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'generate-y', 'soft-gold', 'shard-00000.bin.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'student-x', 'result.json'))).toBe(true);
    release();
  });
});

describe('two kd runs of one pipeline', () => {
  it('the second exits 1 naming the first while it holds the pipeline', async () => {
    const { runKd } = await import('./helpers/runKd.js');
    const dir = mkdtempSync(join(tmpdir(), 'kd-lock-'));
    const release = lockPipeline(join(dir, 'work')); // this process plays the first run
    const pipeline = new URL('../pipelines/tiny.yaml', import.meta.url).pathname;
    const second = await runKd(['run', pipeline, '--workdir', join(dir, 'work'), '--report-dir', join(dir, 'report')], {
      cwd: new URL('..', import.meta.url).pathname,
    });
    release();
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by another kd run (pid ${process.pid}`);
    expect(existsSync(join(dir, 'work', 'prepare'))).toBe(false);
  });
});
