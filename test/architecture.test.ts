// The rooms of src/ import only rooms below them (and so never in a circle): the layers, lowest
// first, as README's map of the code lists them. A new import that points up fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

import { describe, expect, it } from 'vitest';

const LAYERS = [
  ['util'],
  ['metrics', 'tokenize', 'data', 'decode', 'graph', 'engine'],
  ['onnx'],
  ['models'],
  ['distill', 'export'],
  ['runtime'],
  ['train'],
  ['classify', 'bench'],
  ['report'],
  ['stages'],
  ['fleet'],
  ['pipeline'],
  ['cli'],
];
const rank = new Map(LAYERS.flatMap((rooms, i) => rooms.map((r) => [r, i] as const)));
const SRC = new URL('../src', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
  });
}

describe('layers', () => {
  it('every room of src/ has a layer', () => {
    const rooms = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(rooms.filter((r) => !rank.has(r))).toEqual([]);
  });

  it('imports point to a lower layer only', () => {
    const up: string[] = [];
    for (const file of files(SRC)) {
      const from = relative(SRC, file).split(sep)[0];
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const to = relative(SRC, normalize(join(dirname(file), m[1]))).split(sep)[0];
        if (to === from || to.startsWith('..')) continue;
        if (!(rank.get(to)! < rank.get(from)!)) up.push(`${relative(SRC, file)} -> ${m[1]}`);
      }
    }
    expect(up).toEqual([]);
  });
});
