// Content hashes and size checks of files kd writes and reads back.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** SHA-256 of a file's content, read in 1 MiB pieces (a corpus is never held whole). */
export function fileContentHash(file: string): string {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * A hash of every file (path relative to root, and content) under root whose name passes keep:
 * a folder's identity (the code version, a pretrained model, a teacher export sent to workers).
 */
export function dirContentHash(root: string, keep: (name: string) => boolean = () => true): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (keep(name)) h.update(p.slice(root.length)).update(readFileSync(p));
    }
  };
  walk(root);
  return h.digest('hex').slice(0, 16);
}

export interface FileRecord {
  bytes: number;
  sha256: string;
}

export function recordOf(file: string): FileRecord {
  return { bytes: statSync(file).size, sha256: fileContentHash(file) };
}

/**
 * Checks a file against its record; a missing, truncated or changed file is an error naming it and
 * saying what to do (`remedy`).
 */
export function verifyFile(file: string, want: FileRecord, remedy: string): void {
  if (!existsSync(file)) throw new Error(`${file}: missing; ${remedy}`);
  const bytes = statSync(file).size;
  if (bytes !== want.bytes)
    throw new Error(`${file}: ${bytes} bytes, its manifest says ${want.bytes} (truncated or overwritten); ${remedy}`);
  if (fileContentHash(file) !== want.sha256)
    throw new Error(`${file}: its content differs from its manifest's checksum (a corrupt file); ${remedy}`);
}

/**
 * Checks a file a stage wrote against the record in that stage's result.json (`files`), if there is
 * one: a pseudo-corpus edited or truncated since it was made is an error, not training data.
 */
export function verifyStageOutput(file: string): void {
  const result = join(dirname(file), 'result.json');
  if (!existsSync(result)) return;
  const record = (JSON.parse(readFileSync(result, 'utf8')) as { files?: Record<string, FileRecord> }).files?.[
    basename(file)
  ];
  if (record) verifyFile(file, record, `delete ${dirname(file)} to make it again`);
}
