// A copy of pipelines/tiny.yaml in a fresh temporary folder, its corpus paths made absolute and
// `edit` applied: the CLI tests run the real kd on it from anywhere.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import yaml from 'js-yaml';

export function tinyPipeline(prefix: string, edit: (p: Record<string, any>) => void): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const root = new URL('../..', import.meta.url).pathname;

  const tiny = yaml.load(readFileSync(join(root, 'pipelines', 'tiny.yaml'), 'utf8')) as Record<string, any>;
  for (const split of ['train', 'dev', 'test']) tiny.corpus[split] = join(root, tiny.corpus[split]);
  edit(tiny);
  const file = join(dir, 'p.yaml');
  writeFileSync(file, yaml.dump(tiny));
  return { dir, file };
}
