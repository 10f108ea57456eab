// onnxruntime-node, loaded on first use (commands that never touch ONNX never pay for it), and
// small helpers for its tensors.
import { availableParallelism } from 'node:os';

import type * as OrtTypes from 'onnxruntime-node';

import { InputError } from '../util/errors.js';

export type Ort = typeof OrtTypes;
export type OrtSession = OrtTypes.InferenceSession;
export type OrtTensor = OrtTypes.Tensor;

let loaded: Ort | undefined;

export async function loadOrt(): Promise<Ort> {
  if (!loaded) {
    const mod = (await import('onnxruntime-node')) as Ort & { default?: Ort };
    loaded = mod.default ?? mod;
  }
  return loaded;
}

/**
 * Kernel threads when the caller names none: KD_ORT_THREADS, else 0 (onnxruntime uses every core).
 * The tests set 1: beside another busy worker on 2 cores, a kernel split over two threads waits for
 * the one that is not scheduled.
 */
export function defaultThreads(): number {
  const env = Number(process.env.KD_ORT_THREADS);
  return Number.isInteger(env) && env >= 0 ? env : 0;
}

/**
 * How many worker lanes (./sessionLanes.ts) run a batch inference: KD_ORT_LANES where set; else
 * one per core, each on one kernel thread, when kd chooses the threads (threads 0) and runs on the
 * CPU; else 1 (one session on this thread with `threads` kernel threads: a caller or KD_ORT_THREADS
 * that names threads, as the tests do, or a GPU provider).
 */
export function inferenceLanes(threads = defaultThreads()): number {
  const env = Number(process.env.KD_ORT_LANES);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 64);
  if (threads !== 0 || (process.env.KD_ORT_PROVIDERS ?? '').trim()) return 1;
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Session options for every session kd opens (inference and training graphs alike): kernels on
 * `threads` threads (0 = all cores), all graph optimisations, and the execution providers named in
 * KD_ORT_PROVIDERS (e.g. `cuda,cpu` where onnxruntime-node was installed with its CUDA provider;
 * default: cpu).
 */
export function sessionOptions(threads = defaultThreads()): OrtTypes.InferenceSession.SessionOptions {
  const providers = (process.env.KD_ORT_PROVIDERS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: (process.env.KD_ORT_OPT as 'all') ?? 'all',
    ...(providers.length ? { executionProviders: providers } : {}),
  };
}

/** A session (kernels on `threads` threads, 0 = all cores); a file onnxruntime cannot read is an error naming it. */
export async function openSession(path: string, threads = defaultThreads()): Promise<OrtSession> {
  const ort = await loadOrt();
  try {
    return await ort.InferenceSession.create(path, sessionOptions(threads));
  } catch (err) {
    throw new InputError(path, null, `onnxruntime cannot load it: ${(err as Error).message}`);
  }
}

export function int64Tensor(ort: Ort, values: ArrayLike<number>, dims: number[]): OrtTensor {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  return new ort.Tensor('int64', data, dims);
}

/** Right-pads id lists into a [rows, length] int64 tensor plus its 0/1 attention mask. */
export function paddedIds(
  ort: Ort,
  rows: number[][],
  padId: number,
): { ids: OrtTensor; mask: OrtTensor; length: number } {
  const length = Math.max(1, ...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * length).fill(BigInt(padId));
  const mask = new BigInt64Array(rows.length * length);
  rows.forEach((r, i) =>
    r.forEach((id, j) => {
      ids[i * length + j] = BigInt(id);
      mask[i * length + j] = 1n;
    }),
  );
  return {
    ids: new ort.Tensor('int64', ids, [rows.length, length]),
    mask: new ort.Tensor('int64', mask, [rows.length, length]),
    length,
  };
}
