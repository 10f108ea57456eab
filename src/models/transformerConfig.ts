// A Transformer's size: teacher and student differ only in this config.
import { encoderShapes } from './layers.js';
export interface TransformerConfig {
  vocabSize: number;
  dModel: number; // default 256
  ffDim: number; // default 1024
  heads: number; // default 4
  encLayers: number; // default 3
  decLayers: number; // default 3
  dropout: number; // default 0.1
}

export const CONFIG_KEYS: Array<keyof TransformerConfig> = [
  'vocabSize',
  'dModel',
  'ffDim',
  'heads',
  'encLayers',
  'decLayers',
  'dropout',
];

/** Parameter names and shapes, in a fixed order (checkpoints and counts rely on it). */
export function parameterShapes(c: TransformerConfig): Array<[string, number[]]> {
  const d = c.dModel;
  const out: Array<[string, number[]]> = [
    ['embed', [c.vocabSize, d]],
    ['out.bias', [c.vocabSize]],
  ];
  const lin = (name: string, i: number, o: number) => out.push([`${name}.w`, [i, o]], [`${name}.b`, [o]]);
  const norm = (name: string) => out.push([`${name}.g`, [d]], [`${name}.b`, [d]]);
  const att = (name: string) => ['q', 'k', 'v', 'o'].forEach((x) => lin(`${name}.${x}`, d, d));
  encoderShapes(out, d, c.ffDim, c.encLayers);
  for (let l = 0; l < c.decLayers; l++) {
    norm(`dec${l}.ln1`);
    att(`dec${l}.self`);
    norm(`dec${l}.ln2`);
    att(`dec${l}.cross`);
    norm(`dec${l}.ln3`);
    lin(`dec${l}.ff.1`, d, c.ffDim);
    lin(`dec${l}.ff.2`, c.ffDim, d);
  }
  norm('dec.ln');
  return out;
}

export function parameterCount(c: TransformerConfig): number {
  return parameterShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}
