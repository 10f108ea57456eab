// The kd launcher runs a cached bundle of src/; the cache must be rebuilt on any source change.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

// @ts-expect-error: plain JavaScript launcher, no types
import { sourceStamp } from '../bin/bundle.mjs';
import { tempFiles } from './helpers/runKd.js';

describe('launcher bundle stamp', () => {
  it('is stable for unchanged sources and changes with an edit, a new file or a touched file', () => {
    const dir = tempFiles({ 'a.ts': 'export const a = 1;\n' });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b.ts'), 'export const b = 2;\n');
    const first = sourceStamp(dir);
    expect(sourceStamp(dir)).toBe(first);

    writeFileSync(join(dir, 'sub', 'b.ts'), 'export const b = 22;\n');
    const edited = sourceStamp(dir);
    expect(edited).not.toBe(first);

    writeFileSync(join(dir, 'sub', 'c.ts'), '');
    const added = sourceStamp(dir);
    expect(added).not.toBe(edited);

    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'a.ts'), later, later); // same size and content: an editor's save
    expect(sourceStamp(dir)).not.toBe(added);
  });
});
