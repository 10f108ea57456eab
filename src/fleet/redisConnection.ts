// A Redis URL (redis://[user:password@]host:port[/db], rediss:// for TLS) as BullMQ's connection
// options. maxRetriesPerRequest null: a command waits for Redis to come back instead of failing,
// so a restarted Redis pauses the coordinator and the workers rather than ending them.
import type { ConnectionOptions } from 'bullmq';

import { ConfigError } from '../util/errors.js';

export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`--queue: '${url}' is not a URL (redis://HOST:PORT)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new ConfigError(`--queue: '${url}' is not a redis:// or rediss:// URL`);
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new ConfigError(`--queue: '${url}': the path must be a database number`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: db ? Number(db) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** The URL without its password, for logs. */
export function redisName(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Logs a connection's errors, each at most every 30 s (ioredis reconnects on its own; an unhandled 'error' would print a stack each time). */
export function logOutages(
  emitter: { on(event: 'error', f: (e: Error) => void): unknown },
  url: string,
  log: (m: string) => void,
): void {
  const seen = new Map<string, number>();
  emitter.on('error', (e) => {
    if (Date.now() - (seen.get(e.message) ?? 0) < 30_000) return;
    seen.set(e.message, Date.now());
    log(`Redis at ${redisName(url)}: ${e.message} (retrying)`);
  });
}
