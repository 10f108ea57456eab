// One checkpoint format for every model: index.json (names, shapes, extra state, the weights'
// size and SHA-256) + weights.bin (float32, in index order). Written into a temporary folder and
// renamed, so a checkpoint on disk is always whole; read back only when its size and checksum match;
// the one before is kept beside it (DIR.prev).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NamedArray {
  name: string;
  data: Float32Array;
  shape: number[];
}

export interface CheckpointIndex<Extra = unknown> {
  format: 'kd-checkpoint-1';
  tensors: Array<{ name: string; shape: number[] }>;
  bytes?: number;
  sha256?: string;
  extra: Extra;
}

export function saveCheckpoint(dir: string, tensors: NamedArray[], extra: unknown): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const bin = Buffer.concat(tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)));
  writeFileSync(join(tmp, 'weights.bin'), bin);
  const index: CheckpointIndex = {
    format: 'kd-checkpoint-1',
    tensors: tensors.map((t) => ({ name: t.name, shape: t.shape })),
    bytes: bin.byteLength,
    sha256: createHash('sha256').update(bin).digest('hex'),
    extra,
  };
  writeFileSync(join(tmp, 'index.json'), JSON.stringify(index));
  // the previous checkpoint is kept as DIR.prev: a corrupt last one (a disk error, a bad copy) falls back to it
  const prev = `${dir}.prev`;
  if (existsSync(dir)) {
    rmSync(prev, { recursive: true, force: true });
    renameSync(dir, prev);
  }
  renameSync(tmp, dir);
}

export function loadCheckpoint<Extra>(dir: string): {
  index: CheckpointIndex<Extra>;
  tensors: Map<string, NamedArray>;
} {
  const indexFile = join(dir, 'index.json');
  if (!existsSync(indexFile)) throw new Error(`${dir}: not a checkpoint (no index.json)`);
  let index: CheckpointIndex<Extra>;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8')) as CheckpointIndex<Extra>;
  } catch (e) {
    throw new Error(`${indexFile}: unreadable (${(e as Error).message}); delete ${dir} to start over`, { cause: e });
  }
  if (index.format !== 'kd-checkpoint-1') throw new Error(`${indexFile}: unknown checkpoint format ${index.format}`);
  const weightsFile = join(dir, 'weights.bin');
  const bin = readFileSync(weightsFile);
  const expected = index.tensors.reduce((n, t) => n + 4 * t.shape.reduce((a, b) => a * b, 1), 0);
  if (bin.byteLength !== expected || (index.bytes !== undefined && index.bytes !== bin.byteLength)) {
    throw new Error(
      `${weightsFile}: ${bin.byteLength} bytes, its index names ${expected}; delete ${dir} to start over`,
    );
  }
  if (index.sha256 && createHash('sha256').update(bin).digest('hex') !== index.sha256) {
    throw new Error(`${weightsFile}: checksum differs from ${indexFile} (a corrupt file); delete ${dir} to start over`);
  }
  const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const tensors = new Map<string, NamedArray>();
  let at = 0;
  for (const { name, shape } of index.tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    tensors.set(name, { name, data: floats.subarray(at, at + size), shape });
    at += size;
  }
  return { index, tensors };
}
