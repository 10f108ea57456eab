// Line readers that validate as they go: every error names the file and the 1-based line.
// Lines are split on the byte 0x0A (never part of a UTF-8 multi-byte character), so a bad
// byte sequence is reported on its own line, and memory holds one chunk, not the file.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

import { InputError } from '../util/errors.js';

export interface LineRules {
  allowEmpty?: boolean; // default true; false rejects empty and whitespace-only lines
  maxChars?: number; // default none; longer lines are an error
}

export function assertReadableFile(file: string): void {
  if (!existsSync(file)) throw new InputError(file, null, 'no such file');
  if (statSync(file).isDirectory()) throw new InputError(file, null, 'is a directory, not a file');
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decodeLine(file: string, lineNo: number, bytes: Buffer, rules: LineRules): string {
  if (bytes.includes(0)) throw new InputError(file, lineNo, 'a NUL byte (a binary file, or UTF-16?)');
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new InputError(file, lineNo, 'invalid UTF-8');
  }
  if (text.endsWith('\r')) text = text.slice(0, -1); // CRLF files read as LF files
  if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
  if (rules.allowEmpty === false && text.trim() === '') throw new InputError(file, lineNo, 'empty line');
  if (rules.maxChars !== undefined && text.length > rules.maxChars) {
    throw new InputError(file, lineNo, `line has ${text.length} characters, over the limit of ${rules.maxChars}`);
  }
  return text;
}

export const STDIN = '-';

/** A file's bytes; .gz files (the bundled corpora) through gunzip, transparently; '-' is standard input. */
export function openBytes(file: string): AsyncIterable<Buffer> {
  return (
    file === STDIN
      ? process.stdin
      : file.endsWith('.gz')
        ? createReadStream(file).pipe(createGunzip())
        : createReadStream(file)
  ) as AsyncIterable<Buffer>;
}

/** Streams a text file's lines (without their newline); a final newline adds no empty line. '-' reads standard input. */
export async function* readLines(file: string, rules: LineRules = {}): AsyncGenerator<string> {
  if (file !== STDIN) assertReadableFile(file);
  const source = openBytes(file);
  const name = file === STDIN ? '<stdin>' : file;
  let pending: Buffer[] = [];
  let lineNo = 0;
  for await (const chunk of source) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      yield decodeLine(name, ++lineNo, Buffer.concat(pending), rules);
      pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length) yield decodeLine(name, lineNo + 1, Buffer.concat(pending), rules);
}

/** All lines of a file, for inputs that must be held whole anyway (a test set to score). */
export async function readAllLines(file: string, rules: LineRules = {}): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(file, rules)) lines.push(line);
  return lines;
}
