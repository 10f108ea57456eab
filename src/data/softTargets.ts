// Word-level soft targets in compact binary shards (Hinton et al. 2015; Kim & Rush 2016):
// for every target position of every sentence, the teacher's top-k token ids, their probabilities
// at temperature T, and their log-probabilities at T = 1 (for logit matching). A position takes
// k*12 bytes. shard-NNNNN.bin holds whole sentences; index.bin maps sentence -> (shard, first
// position, length); manifest.json records teacher hash, T, k, vocabulary hash and counts.
// Reading is by sentence with positioned reads, so memory holds a batch, never the corpus.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

import { writeBinaryAtomic, writeJsonAtomic } from '../util/atomicWrite.js';
import { type FileRecord, recordOf, verifyFile } from '../util/fileHash.js';

export interface SoftTargetManifest {
  format: 'kd-soft-targets-1';
  teacherHash: string;
  vocabHash: string;
  temperature: number;
  topK: number;
  sentences: number;
  positions: number;
  shards: number;
  /** size and SHA-256 of index.bin and every shard, verified when read back */
  files?: Record<string, FileRecord>;
}

export interface SentenceSoftTargets {
  ids: Int32Array;
  probs: Float32Array;
  logProbs1: Float32Array;
  length: number;
}

const SHARD_POSITIONS = 1 << 18;

/** One sentence in the shard layout: per position and rank, int32 id, float32 prob at T, float32 log-prob at T = 1. */
export function encodeSentence(t: SentenceSoftTargets, k: number): Buffer {
  const buf = Buffer.alloc(t.length * k * 12);
  for (let n = 0; n < t.length * k; n++) {
    buf.writeInt32LE(t.ids[n], n * 12);
    buf.writeFloatLE(t.probs[n], n * 12 + 4);
    buf.writeFloatLE(t.logProbs1[n], n * 12 + 8);
  }
  return buf;
}

/** encodeSentence's inverse. */
export function decodeSentence(buf: Buffer, length: number, k: number): SentenceSoftTargets {
  const ids = new Int32Array(length * k);
  const probs = new Float32Array(length * k);
  const logProbs1 = new Float32Array(length * k);
  for (let n = 0; n < length * k; n++) {
    ids[n] = buf.readInt32LE(n * 12);
    probs[n] = buf.readFloatLE(n * 12 + 4);
    logProbs1[n] = buf.readFloatLE(n * 12 + 8);
  }
  return { ids, probs, logProbs1, length };
}

export class SoftTargetWriter {
  private shard = -1;
  private fd = -1;
  private positionInShard = 0;
  private readonly index: number[] = [];
  private positions = 0;

  constructor(
    private readonly dir: string,
    private readonly meta: Omit<SoftTargetManifest, 'format' | 'sentences' | 'positions' | 'shards'>,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  private shardFile(n: number): string {
    return join(this.dir, `shard-${String(n).padStart(5, '0')}.bin`);
  }

  /** Appends one sentence: ids/probs/logProbs1 are [length * k], position-major. */
  add(t: SentenceSoftTargets): void {
    this.addEncoded(t.length, encodeSentence(t, this.meta.topK));
  }

  /** Appends one sentence already in the shard layout (encodeSentence): a chunk part's records, as they are. */
  addEncoded(length: number, record: Buffer): void {
    if (record.length !== length * this.meta.topK * 12)
      throw new Error(
        `soft targets: a record of ${record.length} bytes for ${length} positions of top-${this.meta.topK}`,
      );
    if (this.fd < 0 || this.positionInShard + length > SHARD_POSITIONS) this.nextShard();
    this.index.push(this.shard, this.positionInShard, length);
    writeSync(this.fd, record);
    this.positionInShard += length;
    this.positions += length;
  }

  private nextShard(): void {
    if (this.fd >= 0) this.closeShard();
    this.shard++;
    this.fd = openSync(`${this.shardFile(this.shard)}.tmp`, 'w');
    this.positionInShard = 0;
  }

  private closeShard(): void {
    closeSync(this.fd);
    renameSync(`${this.shardFile(this.shard)}.tmp`, this.shardFile(this.shard));
    this.fd = -1;
  }

  async finish(): Promise<SoftTargetManifest> {
    if (this.fd >= 0) this.closeShard();
    writeBinaryAtomic(join(this.dir, 'index.bin'), Buffer.from(Int32Array.from(this.index).buffer));
    const names = [
      'index.bin',
      ...Array.from({ length: this.shard + 1 }, (_, n) => `shard-${String(n).padStart(5, '0')}.bin`),
    ];
    const files = Object.fromEntries(names.map((n) => [n, recordOf(join(this.dir, n))]));
    const manifest: SoftTargetManifest = {
      format: 'kd-soft-targets-1',
      ...this.meta,
      sentences: this.index.length / 3,
      positions: this.positions,
      shards: this.shard + 1,
      files,
    };
    await writeJsonAtomic(join(this.dir, 'manifest.json'), manifest); // written last: its presence means complete
    return manifest;
  }
}

/** What a loss needs of soft targets: top-k and per-sentence lookup (a reader, or rows shipped to a worker). */
export interface SoftTargetLookup {
  readonly manifest: Pick<SoftTargetManifest, 'topK'>;
  get(i: number): SentenceSoftTargets;
}

export class SoftTargetReader implements SoftTargetLookup {
  readonly manifest: SoftTargetManifest;
  private readonly index: Int32Array;
  private readonly fds = new Map<number, number>();

  constructor(private readonly dir: string) {
    const mf = join(dir, 'manifest.json');
    if (!existsSync(mf)) throw new Error(`${dir}: no manifest.json (soft targets missing or incomplete)`);
    this.manifest = JSON.parse(readFileSync(mf, 'utf8'));
    // every file checked before a step trains on it: a truncated shard reads as zeros, a flipped
    // byte as a huge probability (both trained a student to exit 0 before)
    const remedy = `delete ${dirname(dir)} to make it again`;
    for (const [name, record] of Object.entries(this.manifest.files ?? {})) verifyFile(join(dir, name), record, remedy);
    const idx = readFileSync(join(dir, 'index.bin'));
    this.index = new Int32Array(idx.buffer.slice(idx.byteOffset, idx.byteOffset + idx.byteLength));
  }

  /** Soft targets of sentence i (its line number in the file the teacher was forced on). */
  get(i: number): SentenceSoftTargets {
    if (i < 0 || i >= this.manifest.sentences) throw new Error(`${this.dir}: no soft targets for sentence ${i}`);
    const [shard, first, length] = [this.index[3 * i], this.index[3 * i + 1], this.index[3 * i + 2]];
    let fd = this.fds.get(shard);
    if (fd === undefined) {
      fd = openSync(join(this.dir, `shard-${String(shard).padStart(5, '0')}.bin`), 'r');
      this.fds.set(shard, fd);
    }
    const k = this.manifest.topK;
    const buf = Buffer.alloc(length * k * 12);
    readSync(fd, buf, 0, buf.length, first * k * 12);
    return decodeSentence(buf, length, k);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
