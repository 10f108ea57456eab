// Integer ids for n-grams, so that counting needs no substring allocation and no string hashing
// (the string-keyed version scored 100k pairs several times slower). An n-gram's id is looked up
// from (id of its first n-1 symbols, last symbol); the empty prefix has id 0. Ids are dense and
// reset per segment, so counts live in typed arrays indexed by id.

export class NgramIndex {
  private prefixes = new Int32Array(1 << 12);
  private symbols = new Int32Array(1 << 12);
  private ids = new Int32Array(1 << 12);
  private stamps = new Int32Array(1 << 12);
  private stamp = 1;
  private next = 1;

  /** Forget all ids (O(1): entries from earlier stamps count as empty). */
  reset(): void {
    this.stamp++;
    this.next = 1;
  }

  /** Number of ids handed out since the last reset, plus one (id 0 is the empty prefix). */
  get size(): number {
    return this.next;
  }

  /** id(0, symbol) is a unigram's id; id(unigramId, symbol) a bigram's, and so on. */
  id(prefix: number, symbol: number): number {
    if (this.next * 2 > this.ids.length) this.grow();
    const mask = this.ids.length - 1;
    let slot = (Math.imul(prefix, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca77)) & mask;
    for (;;) {
      if (this.stamps[slot] !== this.stamp) {
        this.stamps[slot] = this.stamp;
        this.prefixes[slot] = prefix;
        this.symbols[slot] = symbol;
        this.ids[slot] = this.next;
        return this.next++;
      }
      if (this.prefixes[slot] === prefix && this.symbols[slot] === symbol) return this.ids[slot];
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = { p: this.prefixes, s: this.symbols, i: this.ids, t: this.stamps };
    const size = old.i.length * 2;
    this.prefixes = new Int32Array(size);
    this.symbols = new Int32Array(size);
    this.ids = new Int32Array(size);
    this.stamps = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < old.i.length; k++) {
      if (old.t[k] !== this.stamp) continue;
      let slot = (Math.imul(old.p[k], 0x9e3779b1) ^ Math.imul(old.s[k], 0x85ebca77)) & mask;
      while (this.stamps[slot] === this.stamp) slot = (slot + 1) & mask;
      this.stamps[slot] = this.stamp;
      this.prefixes[slot] = old.p[k];
      this.symbols[slot] = old.s[k];
      this.ids[slot] = old.i[k];
    }
  }

  /** Ids of all n-grams of orders 1..maxOrder of a symbol sequence, into a reusable buffer. */
  ngramIds(symbols: ArrayLike<number>, maxOrder: number, out: NgramIdList): NgramIdList {
    out.clear(symbols.length, maxOrder);
    const data = out.data;
    // order 1 reads prefix id 0; order n reads the ids of order n-1 starting at the same position
    let prevStart = -1;
    for (let n = 1; n <= maxOrder; n++) {
      const start = out.starts[n - 1];
      const count = out.starts[n] - start;
      for (let i = 0; i < count; i++) {
        data[start + i] = this.id(prevStart < 0 ? 0 : data[prevStart + i], symbols[i + n - 1]);
      }
      prevStart = start;
    }
    return out;
  }
}

/** N-gram ids of one sentence, all orders in one buffer: order n is data[starts[n-1], starts[n]). */
export class NgramIdList {
  data = new Int32Array(1024);
  starts: number[] = [];
  length = 0; // the sentence length in symbols

  clear(length: number, maxOrder: number): void {
    this.length = length;
    this.starts.length = 0;
    let at = 0;
    for (let n = 1; n <= maxOrder; n++) {
      this.starts.push(at);
      at += Math.max(0, length - n + 1);
    }
    this.starts.push(at);
    if (at > this.data.length) this.data = new Int32Array(Math.max(at, this.data.length * 2));
  }

  /** Number of n-grams of order n. */
  count(n: number): number {
    return this.starts[n] - this.starts[n - 1];
  }
}

/** A growing pool of id lists, so scoring a corpus allocates nothing per sentence. */
export class NgramIdPool {
  private readonly lists: NgramIdList[] = [];
  private used = 0;

  reset(): void {
    this.used = 0;
  }

  take(): NgramIdList {
    if (this.used === this.lists.length) this.lists.push(new NgramIdList());
    return this.lists[this.used++];
  }
}

/** Counts per id, with the clipped-match computation BLEU and chrF share. */
export class NgramCounter {
  private hyp = new Int32Array(1 << 12);
  private ref = new Int32Array(1 << 12);

  ensure(size: number): void {
    if (size <= this.hyp.length) return;
    let n = this.hyp.length;
    while (n < size) n *= 2;
    this.hyp = new Int32Array(n);
    this.ref = new Int32Array(n);
  }

  /** Sum over distinct hyp n-grams of order n of min(hyp count, max ref count); leaves counts zeroed. */
  clippedMatches(hypList: NgramIdList, refLists: NgramIdList[], n: number): number {
    const { hyp, ref } = this;
    const h = hypList.data;
    const hStart = hypList.starts[n - 1];
    const hEnd = hypList.starts[n];
    if (refLists.length === 1) {
      const r = refLists[0].data;
      for (let i = refLists[0].starts[n - 1]; i < refLists[0].starts[n]; i++) ref[r[i]]++;
    } else {
      // several references (BLEU): ref[] holds the maximum count, hyp[] is scratch meanwhile
      for (const list of refLists) {
        const r = list.data;
        const a = list.starts[n - 1];
        const b = list.starts[n];
        for (let i = a; i < b; i++) hyp[r[i]]++;
        for (let i = a; i < b; i++) if (hyp[r[i]] > ref[r[i]]) ref[r[i]] = hyp[r[i]];
        for (let i = a; i < b; i++) hyp[r[i]] = 0;
      }
    }
    for (let i = hStart; i < hEnd; i++) hyp[h[i]]++;
    let matches = 0;
    for (let i = hStart; i < hEnd; i++) {
      const id = h[i];
      const c = hyp[id];
      if (c === 0) continue; // already counted
      const rc = ref[id];
      matches += c < rc ? c : rc;
      hyp[id] = 0;
    }
    for (const list of refLists) {
      const r = list.data;
      for (let i = list.starts[n - 1]; i < list.starts[n]; i++) ref[r[i]] = 0;
    }
    return matches;
  }
}

/** Symbols for a list of words: the same word gets the same number within one segment. */
export class WordSymbols {
  private readonly table = new Map<string, number>();

  reset(): void {
    this.table.clear();
  }

  encode(words: string[]): Int32Array {
    const out = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) {
      let s = this.table.get(words[i]);
      if (s === undefined) {
        s = this.table.size + 1;
        this.table.set(words[i], s);
      }
      out[i] = s;
    }
    return out;
  }
}

/** Code points of a string as numbers (Python's indexing unit). */
export function codePointArray(text: string): Int32Array {
  const out = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[n++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  return out.subarray(0, n);
}
