// A kd command line running in the background, as a user starts a worker or a coordinator in
// another terminal: its log collected, waits on a line or its exit, and kill(), for a finally.
import { spawn } from 'node:child_process';

const KD = new URL('../../bin/kd.mjs', import.meta.url).pathname;

export interface KdProcess {
  pid: number;
  log(): string;
  /** resolves when `pattern` shows in the output (rejects if kd exits first) */
  waitFor(pattern: RegExp): Promise<void>;
  exit: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

export function startKd(args: string[], env: Record<string, string> = {}): KdProcess {
  const child = spawn(process.execPath, [KD, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const waiters: Array<() => void> = [];
  const onData = (d: string) => {
    log += d;
    waiters.forEach((w) => w());
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    pid: child.pid!,
    log: () => log,
    exit,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(log) && resolve();
        waiters.push(check);
        check();
        void exit.then((code) =>
          reject(new Error(`kd ${args[0]} exited (${code}) before ${pattern} showed:\n${log.slice(-1500)}`)),
        );
      }),
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
