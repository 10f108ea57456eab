// apt's Packages index as stanzas of fields (deb822: "Key: value", continuation lines start with
// a space, a blank line ends a stanza). Streams; a malformed stanza is not an exception here but
// comes back with its problem, so a corpus builder can skip and count it (one bad stanza in
// 60,000 should not stop a build) and name its line.
import { createInterface } from 'node:readline';

import { openIndex } from '../ddtp/stanzas.js';

export interface Stanza {
  fields: Map<string, string>; // first line of each field (continuations are not needed here)
  line: number; // 1-based line of the stanza's first field
  problem?: string; // set when the stanza is malformed
}

export async function* readStanzas(file: string): AsyncGenerator<Stanza> {
  let cur: Stanza | null = null;
  let lineNo = 0;
  for await (const line of createInterface({ input: openIndex(file), crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') {
      if (cur) yield cur;
      cur = null;
      continue;
    }
    cur ??= { fields: new Map(), line: lineNo };
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (cur.fields.size === 0) cur.problem ??= `line ${lineNo}: continuation line before any field`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      cur.problem ??= `line ${lineNo}: neither a field nor a continuation`;
      continue;
    }
    const key = line.slice(0, colon);
    if (cur.fields.has(key)) cur.problem ??= `line ${lineNo}: field ${key} repeated`;
    cur.fields.set(key, line.slice(colon + 1).trim());
  }
  if (cur) yield cur;
}
