// One kd run per pipeline folder at a time: a lock file holding the owner's pid. A lock whose
// process is gone (killed) is stale and taken over; taking the lock also removes the temporaries
// an interrupted run left (no other run can be writing them then).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

const TEMPORARY = [/\.\d+\.\d+\.tmp$/, /\.(tmp|old)-\d+$/, /\.bin\.tmp$/];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes workDir's lock (or throws naming its holder); returns the release. */
export function lockPipeline(workDir: string): () => void {
  mkdirSync(workDir, { recursive: true });
  const file = join(workDir, '.lock');
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      let holder: { pid?: number; host?: string; since?: string } = {};
      try {
        holder = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        /* a torn lock file: stale */
      }
      if (holder.pid && holder.host === hostname() && alive(holder.pid)) {
        throw new Error(
          `${workDir} is in use by another kd run (pid ${holder.pid}, since ${holder.since}): wait for it to finish, or stop it`,
          { cause: e },
        );
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  removeTemporaries(workDir);
  return () => {
    if (existsSync(file) && readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
  };
}

function removeTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (TEMPORARY.some((re) => re.test(name))) rmSync(path, { recursive: true, force: true });
    else if (statSync(path).isDirectory()) removeTemporaries(path);
  }
}
