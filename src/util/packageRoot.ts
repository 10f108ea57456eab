// The kd package's own folder (where package.json, pipelines/ and src/ live). Found by walking up
// from this module rather than by a fixed '../..', because the same code runs both from src/
// (tests, tsx) and from the launcher's bundle under .build/, at a different depth.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'kd') return dir;
    if (dirname(dir) === dir) throw new Error(`kd's package.json not found above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the kd package, e.g. packagePath('pipelines', 'demo.yaml'). */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
