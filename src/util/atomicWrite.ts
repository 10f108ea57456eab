// Every output is written to a temporary file beside its target and renamed into place, so a
// killed process never leaves a half-written file that a later stage would trust.
import { createWriteStream, mkdirSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

function tempPath(target: string): string {
  return `${target}.${process.pid}.${Date.now()}.tmp`;
}

export async function writeTextAtomic(target: string, text: string): Promise<void> {
  writeTextAtomicSync(target, text);
}

export function writeTextAtomicSync(target: string, text: string): void {
  writeBinaryAtomic(target, Buffer.from(text, 'utf8'));
}

export function writeBinaryAtomic(target: string, data: Buffer): void {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempPath(target);
  writeFileSync(tmp, data);
  renameSync(tmp, target);
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  writeTextAtomicSync(target, `${JSON.stringify(value, null, 2)}\n`);
}

/** A line writer whose file appears under its name only when commit() is called. */
export class AtomicLineWriter {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private lines = 0;

  constructor(readonly target: string) {
    mkdirSync(dirname(target), { recursive: true });
    this.tmp = tempPath(target);
    this.stream = createWriteStream(this.tmp);
  }

  get count(): number {
    return this.lines;
  }

  /** Writes one line; waits when the stream's buffer is full, so memory stays bounded. */
  async write(line: string): Promise<void> {
    this.lines++;
    if (!this.stream.write(`${line}\n`))
      await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    renameSync(this.tmp, this.target);
  }
}
