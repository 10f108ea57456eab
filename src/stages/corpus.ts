// kd corpus ddtp: a parallel corpus from Debian's package-description translations.
// Promise: corpora/ddtp-SRC-TGT/{train,dev,test}.{SRC,TGT}.gz with equal line counts per split,
// no empty line, no source sentence in two splits; README.md and manifest.json give provenance
// and counts. Every file is written to a temporary name and renamed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { buildDdtpCorpus, type DdtpConfig } from '../data/ddtp/build.js';

export type { DdtpConfig };
import { ddtpReadme } from '../data/ddtp/readme.js';
import { writeBinaryAtomic, writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';

/** The newest-looking main Translation-LANG index in apt's lists folder. */
export function findTranslationIndex(listsDir: string, lang: string): string {
  const hint = `run: apt-get update -o Acquire::Languages=en,${lang}`;
  if (!existsSync(listsDir)) throw new Error(`${listsDir}: no such folder (${hint})`);
  const found = readdirSync(listsDir)
    .filter((f) => f.includes(`_main_i18n_Translation-${lang}`) && !f.includes('security') && !f.includes('-updates'))
    .map((f) => join(listsDir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!found.length) throw new Error(`no Translation-${lang} index under ${listsDir} (${hint})`);
  return found[0];
}

export async function run(config: DdtpConfig) {
  const srcIndex = findTranslationIndex(config.listsDir, config.src);
  const tgtIndex = findTranslationIndex(config.listsDir, config.tgt);
  const corpus = await buildDdtpCorpus({
    srcIndex,
    tgtIndex,
    src: config.src,
    tgt: config.tgt,
    rules: config.rules,
    sizes: { dev: config.dev, test: config.test },
  });
  const files: Record<string, number> = {};
  for (const split of ['train', 'dev', 'test'] as const) {
    const pairs = corpus[split];
    for (const [side, lang] of [
      [0, config.src],
      [1, config.tgt],
    ] as const) {
      const name = `${split}.${lang}.gz`;
      // mtime 0 in the gzip header (Node's default) keeps rebuilt files byte-identical
      const text = pairs.map((p) => p[side]).join('\n') + '\n';
      writeBinaryAtomic(join(config.outDir, name), gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
      files[name] = pairs.length;
    }
  }
  const manifest = {
    source: 'Debian Description Translation Project (DDTP), via apt Translation indexes',
    indexes: [srcIndex, tgtIndex].map((f) => ({ file: f.split('/').pop(), bytes: statSync(f).size })),
    config,
    counts: corpus.counts,
    splits: { train: corpus.train.length, dev: corpus.dev.length, test: corpus.test.length },
  };
  await writeJsonAtomic(join(config.outDir, 'manifest.json'), manifest);
  writeTextAtomicSync(join(config.outDir, 'README.md'), ddtpReadme(config, manifest));
  return { outDir: config.outDir, splits: manifest.splits, counts: corpus.counts, files };
}
