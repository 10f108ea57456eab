// The README written next to the debian-sections dataset: provenance, license, rules and counts.
import type { SectionsDataset, SectionsRules } from './build.js';

export function sectionsReadme(d: SectionsDataset, rules: SectionsRules, indexes: string[]): string {
  const splitRows = Object.entries(d.splits)
    .map(([k, v]) => `| ${k} | ${v.length} |`)
    .join('\n');
  const classRows = d.classes.map((c) => `| ${c} | ${d.classCounts[c]} |`).join('\n');
  const merged = Object.entries(d.merged)
    .map(([s, n]) => `${s} (${n})`)
    .join(', ');
  const counts = Object.entries(d.counts)
    .map(([k, v]) => `| ${k} | ${v} |`)
    .join('\n');
  return `# debian-sections: Debian package descriptions labelled with their section

Built by \`kd corpus debian-sections\` from apt's indexes: ${indexes.map((f) => `\`${f}\``).join(', ')}.

**What a line is.** \`train.tsv.gz\`, \`dev.tsv.gz\`, \`test.tsv.gz\`: \`SECTION<TAB>TEXT\`, where TEXT is a
package's short description (from \`Packages\`), a full stop, and the first paragraph of its long
description (from \`Translation-en\`, joined by \`Description-md5\`), whitespace collapsed, cut at a
word boundary before ${rules.maxChars} characters. \`transfer.txt.gz\`: TEXT only, the transfer set
for distillation (a stratified share whose labels are held out). \`labels.json\`: the classes in
id order.

**Rules.** Texts are deduplicated (many binary packages of one source share a description); a
text found in two sections is dropped as ambiguous. Sections with fewer than ${rules.minClassSize} texts are
merged into \`other\`. Each class is split by a hash of the text: test ${rules.fractions.test}, dev
${rules.fractions.dev}, transfer ${rules.fractions.transfer}, train the rest; so the splits are stratified,
deterministic, and share no text. Malformed stanzas are skipped and counted below.

**Provenance and license.** Debian's package indexes (https://deb.debian.org), as apt downloads
them. Descriptions are written by the packages' maintainers and distributed by Debian with the
archive; they are part of packaging metadata under the Debian Free Software Guidelines, and each
package's copyright file applies. Use for research and testing, credit Debian.

## Splits
| split | texts |
|---|---:|
${splitRows}

## Classes (${d.classes.length})
| class | texts |
|---|---:|
${classRows}

Merged into \`other\`: ${merged || 'none'}.

## What was read
| count | n |
|---|---:|
${counts}
`;
}
