// Builds corpora/tiny: a synthetic "translation" task small enough for tests that train a model
// in seconds. Source sentences come from a little grammar; the target maps each word through a
// fixed dictionary and puts adjectives after their noun, so a model must learn lexical choice and
// a local reordering. Deterministic: run `npx tsx corpora/tiny/make.ts` to rebuild the same files.
import { writeFileSync } from 'node:fs';

const DICT: Record<string, string> = {
  the: 'le', a: 'un', dog: 'chien', cat: 'chat', bird: 'oiseau', fox: 'renard', small: 'petit', big: 'grand',
  red: 'rouge', old: 'vieux', sees: 'voit', likes: 'aime', follows: 'suit', eats: 'mange', today: "aujourd'hui", now: 'maintenant',
};
const DET = ['the', 'a'];
const NOUN = ['dog', 'cat', 'bird', 'fox'];
const ADJ = ['small', 'big', 'red', 'old'];
const VERB = ['sees', 'likes', 'follows', 'eats'];
const ADV = ['today', 'now'];

let seed = 7;
const rand = (n: number) => ((seed = (seed * 48271) % 2147483647), seed % n);
const pick = <T>(xs: T[]) => xs[rand(xs.length)];

function phrase(): [string[], string[]] {
  const d = pick(DET);
  const n = pick(NOUN);
  if (rand(2)) {
    const a = pick(ADJ);
    return [[d, a, n], [DICT[d], DICT[n], DICT[a]]];
  }
  return [[d, n], [DICT[d], DICT[n]]];
}

function sentence(): [string, string] {
  const [s1, t1] = phrase();
  const v = pick(VERB);
  const [s2, t2] = phrase();
  const src = [...s1, v, ...s2];
  const tgt = [...t1, DICT[v], ...t2];
  if (rand(3) === 0) {
    const adv = pick(ADV);
    src.push(adv);
    tgt.push(DICT[adv]);
  }
  return [src.join(' ') + ' .', tgt.join(' ') + ' .'];
}

const seen = new Set<string>();
const pairs: Array<[string, string]> = [];
while (pairs.length < 1400) {
  const p = sentence();
  if (!seen.has(p[0])) {
    seen.add(p[0]);
    pairs.push(p);
  }
}
const splits = { test: pairs.slice(0, 100), dev: pairs.slice(100, 200), train: pairs.slice(200) };
const dir = new URL('.', import.meta.url).pathname;
for (const [name, ps] of Object.entries(splits)) {
  writeFileSync(`${dir}${name}.en`, ps.map((p) => p[0]).join('\n') + '\n');
  writeFileSync(`${dir}${name}.fr`, ps.map((p) => p[1]).join('\n') + '\n');
}
