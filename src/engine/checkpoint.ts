// One checkpoint format for every model: index.json (names, shapes, extra state) + weights.bin
// (float32, in index order). Written into a temporary folder and renamed, so a checkpoint on
// disk is always whole.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from './tf.js';

export interface CheckpointIndex<Extra = unknown> {
  format: 'kd-checkpoint-1';
  tensors: Array<{ name: string; shape: number[] }>;
  extra: Extra;
}

export async function saveCheckpoint(dir: string, tensors: Array<{ name: string; tensor: tf.Tensor }>, extra: unknown): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const parts: Buffer[] = [];
  // everything is stored as float32; int32 tensors (Adam's step counter) are converted, not reinterpreted
  for (const { tensor } of tensors) parts.push(Buffer.from(Float32Array.from(await tensor.data()).buffer));
  writeFileSync(join(tmp, 'weights.bin'), Buffer.concat(parts));
  const index: CheckpointIndex = { format: 'kd-checkpoint-1', tensors: tensors.map((t) => ({ name: t.name, shape: t.tensor.shape })), extra };
  writeFileSync(join(tmp, 'index.json'), JSON.stringify(index));
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function loadCheckpoint<Extra>(dir: string): { index: CheckpointIndex<Extra>; tensors: Map<string, tf.Tensor> } {
  const indexFile = join(dir, 'index.json');
  if (!existsSync(indexFile)) throw new Error(`${dir}: not a checkpoint (no index.json)`);
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as CheckpointIndex<Extra>;
  if (index.format !== 'kd-checkpoint-1') throw new Error(`${indexFile}: unknown checkpoint format ${index.format}`);
  const bin = readFileSync(join(dir, 'weights.bin'));
  const floats = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
  const tensors = new Map<string, tf.Tensor>();
  let at = 0;
  for (const { name, shape } of index.tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.set(name, tf.tensor(floats.slice(at, at + size), shape));
    at += size;
  }
  if (at !== floats.length) throw new Error(`${dir}: weights.bin has ${floats.length} values, index names ${at}`);
  return { index, tensors };
}
