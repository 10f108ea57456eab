// Stage prepare (classification): validated, size-limited copies of a labelled dataset and a
// subword vocabulary trained on its training texts. Input: DIR/{train,dev,test}.tsv (LABEL<TAB>TEXT),
// DIR/transfer.txt (TEXT; optional) and DIR/labels.json, each possibly .gz. Promise:
// data/{train,dev,test}.tsv, data/transfer.txt, labels.json and tokenizer.json, all atomic.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { plainOrGz, readLabelled } from '../classify/labelledData.js';
import { readLines } from '../data/textLines.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { AtomicLineWriter, writeJsonAtomic } from '../util/atomicWrite.js';
import { InputError } from '../util/errors.js';

export interface ClassifyDataConfig {
  dir: string;
  maxTrain: number;
  maxTransfer: number;
  maxDev: number;
  maxTest: number;
  maxChars: number;
}

export function readLabels(dir: string): string[] {
  const file = join(dir, 'labels.json');
  if (!existsSync(file)) throw new InputError(file, null, 'no such file (the class names, a JSON list)');
  const labels = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string')) {
    throw new InputError(file, null, 'expected a JSON list of at least two class names');
  }
  return labels;
}

export async function run(config: { data: ClassifyDataConfig; vocabSize: number }, outDir: string) {
  const c = config.data;
  const labels = readLabels(c.dir);
  const counts: Record<string, number> = {};
  const sample: string[] = [];
  for (const split of ['train', 'dev', 'test'] as const) {
    const limit = { train: c.maxTrain, dev: c.maxDev, test: c.maxTest }[split];
    const out = new AtomicLineWriter(join(outDir, 'data', `${split}.tsv`));
    for await (const { label, text } of readLabelled(plainOrGz(join(c.dir, `${split}.tsv`)), labels, c.maxChars)) {
      if (limit && out.count >= limit) break;
      await out.write(`${labels[label]}\t${text}`);
      if (split === 'train' && sample.length < 200_000) sample.push(text);
    }
    await out.commit();
    counts[split] = out.count;
  }
  const transfer = new AtomicLineWriter(join(outDir, 'data', 'transfer.txt'));
  const transferFile = plainOrGz(join(c.dir, 'transfer.txt'));
  if (existsSync(transferFile)) {
    for await (const text of readLines(transferFile, { allowEmpty: false, maxChars: c.maxChars })) {
      if (c.maxTransfer && transfer.count >= c.maxTransfer) break;
      await transfer.write(text.trim());
    }
  }
  await transfer.commit();
  counts.transfer = transfer.count;
  await writeJsonAtomic(join(outDir, 'labels.json'), labels);
  const tokenizer = Tokenizer.train(sample, { vocabSize: config.vocabSize, progress: true }); // a bar: BPE merges take a while on the full dataset
  await tokenizer.save(join(outDir, 'tokenizer.json'));
  return { counts, labels, vocabSize: tokenizer.vocabSize };
}
