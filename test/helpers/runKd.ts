// Runs the real kd command line in a child process, as a user would.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KD = new URL('../../bin/kd.mjs', import.meta.url).pathname;

// async, not spawnSync: a blocked test worker misses vitest's RPC deadline (60 s). The default
// limit stays under vitest's testTimeout (vitest.config.ts), so a hung kd fails its own test with its output
export function runKd(
  args: string[],
  opts: { input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KD, ...args], { cwd: opts.cwd, timeout: opts.timeoutMs ?? 1_500_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A fresh temporary folder with the given files written into it. */
export function tempFiles(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kd-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
