// The README written next to a DDTP corpus: provenance, license, cleaning rules and counts.
import type { DdtpConfig } from './build.js';

export function ddtpReadme(
  config: DdtpConfig,
  manifest: {
    splits: Record<string, number>;
    counts: Record<string, number>;
    indexes: Array<{ file?: string; bytes: number }>;
  },
): string {
  const rows = Object.entries(manifest.splits)
    .map(([k, v]) => `| ${k} | ${v} |`)
    .join('\n');
  const counts = Object.entries(manifest.counts)
    .map(([k, v]) => `| ${k} | ${v} |`)
    .join('\n');
  return `# DDTP ${config.src}-${config.tgt}: sentence pairs from Debian package descriptions

Built by \`kd corpus ddtp --src ${config.src} --tgt ${config.tgt}\` from apt's Translation indexes
(\`apt-get update -o Acquire::Languages=${config.src},${config.tgt}\`), files:
${manifest.indexes.map((i) => `\`${i.file}\` (${i.bytes} bytes)`).join(', ')}.

**Provenance.** The Debian Description Translation Project (DDTP, https://ddtp.debian.org) translates
the descriptions of Debian packages; apt distributes them as \`Translation-LANG\` indexes. Descriptions
are paired by \`Description-md5\` (the hash of the English original). The short descriptions pair
directly; long descriptions pair paragraph by paragraph when both have the same number of
paragraphs, and sentence by sentence when a paragraph splits into the same number of sentences.

**License.** Package descriptions come from the packages' maintainers and the translations from
DDTP contributors; Debian distributes both with the archive under the terms of the Debian Free
Software Guidelines (the DDTP's translations are offered under the same free terms as the original
descriptions). Use for research and tooling as any other Debian archive metadata.

**Cleaning.** Whitespace collapsed; pairs dropped when a side is shorter than ${config.rules.minChars} or longer than
${config.rules.maxChars} characters, when the character-length ratio exceeds ${config.rules.maxLengthRatio}, or when the
target equals the source (untranslated); duplicates of a source sentence dropped (first kept).

**Splits.** Pairs are ordered by the SHA-1 of the source sentence; the first ${config.test} are test, the next
${config.dev} dev, the rest train. No source sentence is in two splits; reruns give the same files.

| split | pairs |
|---|---:|
${rows}

| build count | value |
|---|---:|
${counts}
`;
}
