// The generate stage on a worker fleet through the real command line: a redis-server on
// 127.0.0.1, kd generate --queue as the coordinator and kd worker processes. The outputs equal a
// single process's byte for byte with three workers; with a worker SIGKILLed inside its first
// chunk (its job returns when the lock expires and another worker decodes it); with the coordinator
// killed and started again (it collects what finished meanwhile); and with Redis killed and
// restarted empty mid-run (the coordinator adds its jobs again, a worker reconnects).
// A worker whose teacher folder hashes otherwise refuses: exit 1, the job left for others. A
// pretrained ONNX teacher reaches workers as its own folder, with the same result.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateOutputs, tinyWithTeacher } from './helpers/generateStage.js';
import { type KdProcess, startKd } from './helpers/kdProcess.js';
import { type RedisServer, startRedis } from './helpers/redisServer.js';
import { runKd } from './helpers/runKd.js';

// short locks and polls, so a dead worker's chunk comes back within seconds
const WORKER_FLAGS = ['--lock-ms', '2000', '--stalled-ms', '500'];
const COORDINATOR_FLAGS = ['--poll-ms', '50'];

/** Resolves once the queue holds `n` waiting jobs (the coordinator has added them). */
async function waitingJobs(port: number, name: string, n: number): Promise<void> {
  const queue = new Queue(name, { connection: { host: '127.0.0.1', port } });
  try {
    while ((await queue.getJobCounts('waiting')).waiting < n) await sleep(50);
  } finally {
    await queue.close();
  }
}

describe('kd generate --queue with kd worker processes', () => {
  let redis: RedisServer;
  let tiny: Awaited<ReturnType<typeof tinyWithTeacher>>;
  let reference: Record<string, string>;
  const started: KdProcess[] = [];
  const kd = (args: string[]) => {
    const p = startKd(args);
    started.push(p);
    return p;
  };
  const worker = (queue: string, ...extra: string[]) =>
    kd(['worker', '--queue', redis.url, '--queue-name', queue, ...WORKER_FLAGS, ...extra]);
  const coordinator = (work: string, queue: string, file = tiny.file) =>
    kd(['generate', file, '--workdir', work, '--queue', redis.url, '--queue-name', queue, ...COORDINATOR_FLAGS]);
  const finished = async (p: KdProcess) => expect(await p.exit, p.log()).toBe(0);

  beforeAll(async () => {
    redis = await startRedis();
    tiny = await tinyWithTeacher('kd-queue-');
    const single = tiny.workDir('single');
    const one = await runKd(['generate', tiny.file, '--workdir', single]);
    expect(one.code, one.stderr).toBe(0);
    reference = generateOutputs(single);
  });

  afterAll(async () => {
    for (const p of started) p.kill();
    await Promise.all(started.map((p) => p.exit));
    await redis?.stop();
  });

  it('three workers give the bytes of a single process; a worker with the wrong teacher refuses first', async () => {
    const work = tiny.workDir('three');
    const run = coordinator(work, 'three');
    // a folder that is not the teacher the jobs name: the worker must refuse, not decode
    const wrong = join(tiny.dir, 'wrong-teacher');
    mkdirSync(wrong, { recursive: true });
    writeFileSync(join(wrong, 'config.json'), '{}');
    const refusing = worker('three', '--teacher', wrong);
    expect(await refusing.exit).toBe(1);
    expect(refusing.log()).toMatch(
      /refused chunk \d+ of generate-\w+ \(lines \d+-\d+\): teacher hash mismatch: the job needs \w+ \(.*teacher-onnx\), .*wrong-teacher hashes to \w+/,
    );
    for (let i = 0; i < 3; i++) worker('three');
    await finished(run);
    expect(run.log()).toContain('chunks 8/8');
    expect(generateOutputs(work)).toEqual(reference);
  });

  it('a worker killed inside a chunk: the chunk returns to the queue and another worker decodes it', async () => {
    const work = tiny.workDir('kill');
    const run = coordinator(work, 'kill');
    const doomed = worker('kill');
    await doomed.waitFor(/: started/);
    doomed.kill('SIGKILL'); // while it loads the teacher for its first chunk
    const [, taken] = /(chunk \d+ of \S+ \(lines [\d-]+\)): started/.exec(doomed.log())!;
    expect(doomed.log()).not.toContain(`${taken}: 8 sentences`);
    const survivor = worker('kill');
    await finished(run);
    expect(survivor.log()).toContain(`${taken}: 8 sentences`);
    expect(generateOutputs(work)).toEqual(reference);
  });

  it('the coordinator killed mid-run and started again collects what the workers finished meanwhile', async () => {
    const work = tiny.workDir('coordinator');
    const w = worker('coordinator');
    const first = coordinator(work, 'coordinator');
    // killed once it has written a chunk's parts
    const partsDone = () => {
      const gen = readdirSync(work).find((d) => d.startsWith('generate-'));
      return gen && existsSync(join(work, gen, 'parts'))
        ? readdirSync(join(work, gen, 'parts')).filter((f) => f.endsWith('.json')).length
        : 0;
    };
    while (partsDone() === 0) await sleep(20);
    first.kill('SIGKILL');
    // every job was in Redis (the window is larger than 8): the worker finishes them with no coordinator
    await w.waitFor(/(: 8 sentences in[^]*){8}/);
    const second = coordinator(work, 'coordinator');
    await finished(second);
    const [, took, done] =
      /took up (\d+) chunk jobs an earlier run left in Redis \((\d+) of them finished\)/.exec(second.log()) ?? [];
    expect(Number(took), second.log()).toBeGreaterThan(0);
    expect(done).toBe(took);
    expect(generateOutputs(work)).toEqual(reference);
  });

  it('Redis killed and restarted empty mid-run: the jobs are added again and the run finishes', async () => {
    const work = tiny.workDir('restart');
    // the worker connected, then frozen until Redis has gone down and come back without the jobs: none is done before
    const w = worker('restart');
    await w.waitFor(/waiting for jobs/);
    process.kill(w.pid, 'SIGSTOP');
    const run = coordinator(work, 'restart');
    await waitingJobs(redis.port, 'restart', 8);
    await redis.restart();
    process.kill(w.pid, 'SIGCONT');
    await finished(run);
    expect(run.log()).toMatch(/8 chunk jobs were gone from Redis .*: added again/);
    expect(w.log()).toMatch(/: 8 sentences in/);
    expect(generateOutputs(work)).toEqual(reference);
  });

  it('a pretrained ONNX teacher reaches workers as its own folder: the bytes of a single process', async () => {
    const onnx = await tinyWithTeacher('kd-queue-onnx-', 'tiny-onnx-teacher.yaml');
    const [single, work] = [onnx.workDir('single'), onnx.workDir('fleet')];
    const one = await runKd(['generate', onnx.file, '--workdir', single]);
    expect(one.code, one.stderr).toBe(0);
    const run = coordinator(work, 'onnx', onnx.file);
    worker('onnx');
    await finished(run);
    expect(run.log()).toMatch(/teacher \S*test\/fixtures\/tiny-marian, hash/);
    expect(generateOutputs(work)).toEqual(generateOutputs(single));
  });
});
