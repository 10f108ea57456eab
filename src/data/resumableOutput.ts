// Line outputs built chunk by chunk, so a killed run resumes at its last finished chunk: each
// chunk is written atomically under TARGET.parts/, and the target appears (atomically) only when
// every chunk is there. The parts folder records the settings it was made with; other settings
// start it afresh rather than mix outputs of two runs.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { AtomicLineWriter, writeTextAtomicSync } from '../util/atomicWrite.js';
import type { Progress } from '../util/progress.js';
import { readLines } from './textLines.js';

/** Where mapFileInChunks writes: resumable parts joined into a file, or standard output. */
export interface ChunkedOutput {
  has(index: number): boolean;
  writeChunk(index: number, lines: string[]): void;
  commit(count: number): Promise<void>;
}

/** `-`: chunks go to standard output as they are made (in order; nothing to resume). */
export class StdoutChunks implements ChunkedOutput {
  has(): boolean {
    return false;
  }

  writeChunk(_index: number, lines: string[]): void {
    process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  }

  async commit(): Promise<void> {}
}

/** A file target's resumable output, or standard output for `-`. */
export function chunkedOutput(target: string, settings: unknown): ChunkedOutput {
  return target === '-' ? new StdoutChunks() : new ResumableOutput(target, settings);
}

export class ResumableOutput implements ChunkedOutput {
  readonly partsDir: string;

  constructor(
    readonly target: string,
    settings: unknown,
  ) {
    this.partsDir = `${target}.parts`;
    const stamp = JSON.stringify(settings);
    const stampFile = join(this.partsDir, 'settings.json');
    if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') !== stamp)
      rmSync(this.partsDir, { recursive: true, force: true });
    mkdirSync(this.partsDir, { recursive: true });
    if (!existsSync(stampFile)) writeTextAtomicSync(stampFile, stamp);
  }

  private partFile(index: number): string {
    return join(this.partsDir, `${String(index).padStart(9, '0')}.txt`);
  }

  has(index: number): boolean {
    return existsSync(this.partFile(index));
  }

  writeChunk(index: number, lines: string[]): void {
    writeTextAtomicSync(this.partFile(index), lines.map((l) => `${l}\n`).join(''));
  }

  /** Joins chunks 0..count-1 into the target and removes the parts. */
  async commit(count: number): Promise<void> {
    const out = new AtomicLineWriter(this.target);
    for (let i = 0; i < count; i++) {
      const text = readFileSync(this.partFile(i), 'utf8');
      for (const line of text.split('\n').slice(0, -1)) await out.write(line);
    }
    await out.commit();
    rmSync(this.partsDir, { recursive: true, force: true });
  }
}

/** Streams a file's lines in chunks of `size` (the last may be shorter). */
export async function* chunksOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/**
 * Maps a file's lines to output lines chunk by chunk into `out` (chunks already there are
 * skipped), then commits the target. `work` gets a chunk and its first line number (1-based) and
 * ticks `progress` itself; resumed chunks are ticked here. Returns the number of lines.
 */
export async function mapFileInChunks(
  input: string,
  chunkLines: number,
  out: ChunkedOutput,
  progress: Progress,
  work: (lines: string[], firstLine: number) => Promise<string[]>,
): Promise<number> {
  let index = 0;
  let done = 0;
  for await (const lines of chunksOf(readLines(input), chunkLines)) {
    if (out.has(index)) progress.tick(lines.length, '(resumed)');
    else out.writeChunk(index, await work(lines, done + 1));
    index++;
    done += lines.length;
  }
  await out.commit(index);
  return done;
}
