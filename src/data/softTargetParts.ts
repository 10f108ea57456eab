// A chunk's soft targets in one file (the generate stage's parts/): the sentences' records exactly
// as a shard holds them (./softTargets.ts encodeSentence), after a header of int32 LE values
// [sentences, k, length of each sentence]. A chunk decoded anywhere (here, by a shard, by a worker)
// is added to the stage's shards record by record, so the shards come out byte for byte the same.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

import { encodeSentence, type SentenceSoftTargets } from './softTargets.js';

const RECORD_BYTES = 12; // int32 id, float32 prob at T, float32 log-prob at T = 1

/** The bytes of a part holding these sentences' top-k soft targets. */
export function softTargetPartBytes(sentences: SentenceSoftTargets[], k: number): Buffer {
  const header = Buffer.alloc(8 + 4 * sentences.length);
  header.writeInt32LE(sentences.length, 0);
  header.writeInt32LE(k, 4);
  sentences.forEach((t, i) => header.writeInt32LE(t.length, 8 + 4 * i));
  return Buffer.concat([header, ...sentences.map((t) => encodeSentence(t, k))]);
}

/** One sentence of a part: its length in positions and its record bytes. */
export interface PartRecord {
  length: number;
  record: Buffer;
}

/**
 * Why bytes are not a whole part of `sentences` sentences at top-k (a count, a k or a size that
 * disagrees), or null when they are. Reads only the header from a file.
 */
export function softTargetPartProblem(source: Buffer | string, sentences: number, k: number): string | null {
  const head = typeof source === 'string' ? readHead(source, 8 + 4 * sentences) : source.subarray(0, 8 + 4 * sentences);
  const size = typeof source === 'string' ? statSync(source).size : source.length;
  if (head.length < 8) return `${size} bytes: no header`;
  const [count, partK] = [head.readInt32LE(0), head.readInt32LE(4)];
  if (count !== sentences) return `${count} sentences, its chunk has ${sentences}`;
  if (partK !== k) return `top-${partK}, the stage keeps top-${k}`;
  if (head.length < 8 + 4 * count) return `${size} bytes: its header is cut short`;
  let positions = 0;
  for (let i = 0; i < count; i++) positions += head.readInt32LE(8 + 4 * i);
  const want = 8 + 4 * count + positions * k * RECORD_BYTES;
  return size === want ? null : `${size} bytes, its header says ${want}`;
}

/** The records of a whole part (check it with softTargetPartProblem first). */
export function* partRecords(bytes: Buffer, k: number): Generator<PartRecord> {
  const count = bytes.readInt32LE(0);
  let at = 8 + 4 * count;
  for (let i = 0; i < count; i++) {
    const length = bytes.readInt32LE(8 + 4 * i);
    const size = length * k * RECORD_BYTES;
    yield { length, record: bytes.subarray(at, at + size) };
    at += size;
  }
}

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
