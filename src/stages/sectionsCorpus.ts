// kd corpus debian-sections: the text-classification dataset of Debian package descriptions and
// sections. Promise: corpora/debian-sections/{train,dev,test}.tsv.gz (LABEL<TAB>TEXT),
// transfer.txt.gz (TEXT), labels.json, manifest.json, README.md; every file written atomically.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { buildSectionsDataset, type SectionsRules, SPLITS } from '../data/sections/build.js';
import { sectionsReadme } from '../data/sections/readme.js';
import { writeBinaryAtomic, writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';
import { findTranslationIndex } from './corpus.js';

export interface SectionsConfig {
  listsDir: string;
  outDir: string;
  rules: SectionsRules;
}

/** The main archive's Packages indexes (every architecture) in apt's lists folder. */
export function findPackagesIndexes(listsDir: string): string[] {
  if (!existsSync(listsDir)) throw new Error(`${listsDir}: no such folder (run: apt-get update)`);
  const found = readdirSync(listsDir)
    .filter((f) => /_main_binary-[^_]+_Packages(\.\w+)?$/.test(f) && !f.includes('security') && !f.includes('-updates'))
    .map((f) => join(listsDir, f));
  if (!found.length) throw new Error(`no main Packages index under ${listsDir} (run: apt-get update)`);
  return found.sort();
}

export async function run(config: SectionsConfig) {
  const packagesIndexes = findPackagesIndexes(config.listsDir);
  const translationIndex = findTranslationIndex(config.listsDir, 'en');
  const d = await buildSectionsDataset({ packagesIndexes, translationIndex, rules: config.rules });
  const gz = (lines: string[]) => gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'), { level: 9 });
  for (const split of ['train', 'dev', 'test'] as const) {
    writeBinaryAtomic(join(config.outDir, `${split}.tsv.gz`), gz(d.splits[split].map((x) => `${x.label}\t${x.text}`)));
  }
  writeBinaryAtomic(join(config.outDir, 'transfer.txt.gz'), gz(d.splits.transfer.map((x) => x.text)));
  await writeJsonAtomic(join(config.outDir, 'labels.json'), d.classes);
  const indexes = [...packagesIndexes, translationIndex];
  const splits = Object.fromEntries(SPLITS.map((s) => [s, d.splits[s].length]));
  await writeJsonAtomic(join(config.outDir, 'manifest.json'), {
    source: 'Debian package indexes (Packages, Translation-en), via apt',
    indexes: indexes.map((f) => ({ file: basename(f), bytes: statSync(f).size })),
    rules: config.rules,
    classes: d.classes,
    classCounts: d.classCounts,
    merged: d.merged,
    counts: d.counts,
    skipped: d.skipped,
    splits,
  });
  writeTextAtomicSync(
    join(config.outDir, 'README.md'),
    sectionsReadme(
      d,
      config.rules,
      indexes.map((f) => basename(f)),
    ),
  );
  return { outDir: config.outDir, splits, classes: d.classes.length, counts: d.counts };
}
