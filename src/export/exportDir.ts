// An export folder is written whole or not at all: into a temporary sibling, renamed into place.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ExportWriter {
  file(name: string, bytes: Uint8Array): void;
  json(name: string, value: unknown): void;
}

export function writeExportDir(outDir: string, write: (w: ExportWriter) => void): void {
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'onnx'), { recursive: true });
  write({
    file: (name, bytes) => writeFileSync(join(tmp, name), bytes),
    json: (name, value) => writeFileSync(join(tmp, name), `${JSON.stringify(value, null, 2)}\n`),
  });
  if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
}
