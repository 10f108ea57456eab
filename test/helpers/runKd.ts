// Runs the real kd command line in a child process, as a user would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KD = new URL('../../bin/kd.mjs', import.meta.url).pathname;

export function runKd(args: string[], opts: { input?: string; cwd?: string; timeoutMs?: number } = {}) {
  const r = spawnSync(process.execPath, [KD, ...args], {
    input: opts.input, cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder with the given files written into it. */
export function tempFiles(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kd-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
