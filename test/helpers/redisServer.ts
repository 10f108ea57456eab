// A throwaway redis-server on 127.0.0.1 (Debian's redis-server; .ci/run installs it): a free port,
// no persistence, stopped by stop() (call it in a finally). restart() kills it (-9) and starts a
// fresh, empty one on the same port, as a crashed Redis without persistence comes back.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function launch(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const early = (code: number | null) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${out}`));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new Error(
              'redis-server not found: apt-get install redis-server (the generate fleet tests start their own on 127.0.0.1; .ci/run installs it)',
            )
          : e,
      ),
    );
    child.once('exit', early);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!out.includes('Ready to accept connections')) return;
      child.off('exit', early);
      resolve(child);
    });
    child.stderr!.resume();
  });
}

/** SIGKILL, then waits for the exit (reaped here, not left a zombie when the test process ends). */
function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      await kill(child);
      child = await launch(port);
    },
    stop: () => kill(child),
  };
}
