// Reads apt's Translation-LANG indexes (DDTP): stanzas of "Package", "Description-md5" and
// "Description-LANG" (short description on the field line, long description on the following
// lines that start with a space, " ." separating paragraphs). Compressed indexes are read through
// apt's own decompressor (apt-helper cat-file), which knows every compression apt uses.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

import { InputError } from '../../util/errors.js';
import {} from '../textLines.js';

export interface Description {
  package: string;
  md5: string;
  short: string;
  paragraphs: string[]; // long description, one string per paragraph, lines joined by spaces
}

const APT_HELPER = '/usr/lib/apt/apt-helper';

/** A text stream of an apt index, decompressing through apt-helper when it is compressed. */
export function openIndex(file: string): Readable {
  if (!existsSync(file)) throw new InputError(file, null, 'no such file');
  if (/\.(lz4|gz|xz|bz2|zst|lzma)$/.test(file)) {
    if (!existsSync(APT_HELPER))
      throw new InputError(file, null, `compressed index, and ${APT_HELPER} is missing to read it`);
    const child = spawn(APT_HELPER, ['cat-file', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    return child.stdout;
  }
  return createReadStream(file);
}

/** Streams the descriptions of one index; a stanza missing a field is an error naming its line. */
export async function* readDescriptions(file: string, lang: string): AsyncGenerator<Description> {
  const field = `Description-${lang}`;
  let cur: Partial<Description> & { startLine?: number } = {};
  let paragraph: string[] = [];
  let lineNo = 0;
  const finish = (): Description | null => {
    if (cur.package === undefined && cur.short === undefined) return null;
    if (paragraph.length) cur.paragraphs!.push(paragraph.join(' '));
    paragraph = [];
    for (const key of ['package', 'md5', 'short'] as const) {
      if (cur[key] === undefined)
        throw new InputError(file, cur.startLine ?? lineNo, `stanza without ${key === 'short' ? field : key}`);
    }
    const done = cur as Description;
    cur = {};
    return done;
  };
  for await (const line of createInterface({ input: openIndex(file), crlfDelay: Infinity })) {
    lineNo++;
    if (line === '') {
      const d = finish();
      if (d) yield d;
    } else if (line.startsWith(' ')) {
      if (cur.paragraphs === undefined) throw new InputError(file, lineNo, 'continuation line outside a description');
      if (line.trim() === '.') {
        if (paragraph.length) cur.paragraphs.push(paragraph.join(' '));
        paragraph = [];
      } else paragraph.push(line.trim());
    } else {
      const colon = line.indexOf(':');
      if (colon < 0) throw new InputError(file, lineNo, 'line is neither a field nor a continuation');
      const key = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      if (cur.startLine === undefined) cur.startLine = lineNo;
      if (key === 'Package') cur.package = value;
      else if (key === 'Description-md5') cur.md5 = value;
      else if (key === field) {
        cur.short = value;
        cur.paragraphs = [];
      }
    }
  }
  const last = finish();
  if (last) yield last;
}
