// The debian-sections classification dataset: each package's English description (the short
// description from apt's Packages index, then the first paragraph of its long description from
// Translation-en, joined by Description-md5), labelled with the package's Section.
// Deduplicated by text; a text that packages in different sections share is dropped (its label is
// ambiguous). Sections with fewer than minClassSize texts merge into "other". Splits are
// stratified by class and deterministic: within a class, texts are ordered by a hash of the text
// and cut by the split fractions; each split is then ordered by the same hash, so its first N
// lines are a fair sample. The whole dataset is held in memory: it is ~60,000 short texts.
import { createHash } from 'node:crypto';

import { readDescriptions } from '../ddtp/stanzas.js';
import { readStanzas } from './deb822.js';

export interface SectionsRules {
  minClassSize: number; // default 400: smaller sections merge into "other"
  maxChars: number; // default 400: texts are cut at a word boundary before this
  fractions: { dev: number; test: number; transfer: number }; // of each class; train takes the rest
}

export interface LabelledText {
  label: string;
  text: string;
}
export const SPLITS = ['train', 'dev', 'test', 'transfer'] as const;
export type Split = (typeof SPLITS)[number];
export const OTHER = 'other';

export interface SectionsDataset {
  classes: string[]; // by size, largest first; "other" last
  splits: Record<Split, LabelledText[]>;
  classCounts: Record<string, number>; // texts per class, all splits
  merged: Record<string, number>; // sections merged into "other", with their sizes
  counts: Record<string, number>; // what was read, kept and skipped, and why
  skipped: string[]; // the first malformed stanzas, as FILE:LINE: problem
}

const hashOf = (text: string) => createHash('sha1').update(text).digest('hex');

/** Whitespace collapsed, cut before maxChars at a word boundary. */
export function cleanText(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return (space > maxChars / 2 ? cut.slice(0, space) : cut).trim();
}

/** A section without its archive area: "contrib/games" -> "games". */
export const baseSection = (section: string) => section.replace(/^(contrib|non-free|non-free-firmware)\//, '');

export async function buildSectionsDataset(opts: {
  packagesIndexes: string[];
  translationIndex: string;
  rules: SectionsRules;
}): Promise<SectionsDataset> {
  const { rules } = opts;
  const counts: Record<string, number> = {
    stanzas: 0,
    malformed: 0,
    missingField: 0,
    withoutLongDescription: 0,
    duplicateText: 0,
    ambiguousText: 0,
  };
  const skipped: string[] = [];
  const longDescription = new Map<string, string>();
  for await (const d of readDescriptions(opts.translationIndex, 'en')) {
    if (d.paragraphs.length) longDescription.set(d.md5, d.paragraphs[0]);
  }
  const sectionsOf = new Map<string, Set<string>>();
  for (const file of opts.packagesIndexes) {
    for await (const stanza of readStanzas(file)) {
      counts.stanzas++;
      const f = stanza.fields;
      let problem = stanza.problem;
      const missing = ['Package', 'Section', 'Description'].filter((k) => !f.get(k));
      if (!problem && missing.length) {
        problem = `stanza without ${missing.join(', ')}`;
        counts.missingField++;
      } else if (problem) counts.malformed++;
      if (problem) {
        if (skipped.length < 20) skipped.push(`${file}:${stanza.line}: ${problem}`);
        continue;
      }
      const long = longDescription.get(f.get('Description-md5') ?? '');
      if (long === undefined) counts.withoutLongDescription++;
      const short = f.get('Description')!;
      const text = cleanText(long ? `${short}${/[.!?]$/.test(short) ? '' : '.'} ${long}` : short, rules.maxChars);
      const seen = sectionsOf.get(text);
      if (seen) counts.duplicateText++;
      sectionsOf.set(text, (seen ?? new Set()).add(baseSection(f.get('Section')!)));
    }
  }
  const bySection = new Map<string, string[]>();
  for (const [text, sections] of sectionsOf) {
    if (sections.size > 1) {
      counts.ambiguousText++;
      continue;
    }
    const [section] = sections;
    if (!bySection.has(section)) bySection.set(section, []);
    bySection.get(section)!.push(text);
  }
  const sizes = [...bySection]
    .map(([s, texts]) => [s, texts.length] as const)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const classes = sizes.filter(([s, n]) => n >= rules.minClassSize && s !== OTHER).map(([s]) => s);
  const merged = Object.fromEntries(sizes.filter(([s]) => !classes.includes(s)));
  if (Object.keys(merged).length) classes.push(OTHER);

  const byClass = new Map<string, string[]>(classes.map((c) => [c, []]));
  for (const [section, texts] of bySection) byClass.get(classes.includes(section) ? section : OTHER)!.push(...texts);
  const splits: Record<Split, LabelledText[]> = { train: [], dev: [], test: [], transfer: [] };
  const classCounts: Record<string, number> = {};
  for (const [label, texts] of byClass) {
    const ordered = texts.map((text) => ({ text, h: hashOf(text) })).sort((a, b) => (a.h < b.h ? -1 : 1));
    classCounts[label] = ordered.length;
    let at = 0;
    for (const split of ['test', 'dev', 'transfer'] as const) {
      const n = Math.round(ordered.length * rules.fractions[split]);
      splits[split].push(...ordered.slice(at, at + n).map(({ text }) => ({ label, text })));
      at += n;
    }
    splits.train.push(...ordered.slice(at).map(({ text }) => ({ label, text })));
  }
  for (const split of SPLITS) {
    const keyed = splits[split].map((x) => ({ x, h: hashOf(`${split}\0${x.text}`) }));
    splits[split] = keyed.sort((a, b) => (a.h < b.h ? -1 : 1)).map(({ x }) => x);
  }
  counts.kept = SPLITS.reduce((n, s) => n + splits[s].length, 0);
  return { classes, splits, classCounts, merged, counts, skipped };
}
