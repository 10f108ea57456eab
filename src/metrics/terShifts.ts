// Translation edit rate of one hypothesis against one reference (Snover et al. 2006), following
// sacreBLEU's lib_ter (itself following tercom): greedily apply the block shift that lowers the
// edit distance most, until none does, then add the shifts to the remaining edit distance.
import { BeamEditDistance, OP_DEL, OP_INS, OP_NOP, OP_SUB } from './terEditDistance.js';

const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const MAX_SHIFT_CANDIDATES = 1000;

/** translationEditRate(["b","a"], ["a","b"]) -> [edits, reference length] */
export function translationEditRate(hyp: string[], ref: string[]): [number, number] {
  if (ref.length === 0) return [hyp.length, 0];
  const ed = new BeamEditDistance(ref);
  let shifts = 0;
  let words = hyp;
  let checked = 0;
  for (;;) {
    const best = bestShift(words, ref, ed, checked);
    checked = best.checked;
    if (checked >= MAX_SHIFT_CANDIDATES || best.gain <= 0) break;
    shifts++;
    words = best.words;
  }
  return [shifts + ed.distance(words)[0], ref.length];
}

interface Alignment {
  align: Map<number, number>;
  refErr: number[];
  hypErr: number[];
}

/** Reads an edit trace (reference rewritten into hypothesis) as an alignment with error marks. */
function traceToAlignment(trace: string): Alignment {
  let h = -1;
  let r = -1;
  const align = new Map<number, number>();
  const refErr: number[] = [];
  const hypErr: number[] = [];
  for (const op of trace) {
    if (op === OP_NOP || op === OP_SUB) {
      h++;
      r++;
      align.set(r, h);
      const err = op === OP_SUB ? 1 : 0;
      hypErr.push(err);
      refErr.push(err);
    } else if (op === OP_INS) {
      h++;
      hypErr.push(1);
    } else if (op === OP_DEL) {
      r++;
      align.set(r, h);
      refErr.push(1);
    } else throw new Error(`TER: unknown edit operation '${op}'`);
  }
  return { align, refErr, hypErr };
}

/** Moves words[start, start+length) so that it begins before position target. */
function performShift(words: string[], start: number, length: number, target: number): string[] {
  const block = words.slice(start, start + length);
  if (target < start) {
    return [...words.slice(0, target), ...block, ...words.slice(target, start), ...words.slice(start + length)];
  }
  if (target > start + length) {
    return [...words.slice(0, start), ...words.slice(start + length, target), ...block, ...words.slice(target)];
  }
  return [
    ...words.slice(0, start),
    ...words.slice(start + length, length + target),
    ...block,
    ...words.slice(length + target),
  ];
}

/** (hypStart, refStart, length) of every common word sequence, within tercom's limits. */
function* matchingBlocks(hyp: string[], ref: string[]): Generator<[number, number, number]> {
  for (let h = 0; h < hyp.length; h++) {
    for (let r = 0; r < ref.length; r++) {
      if (Math.abs(r - h) > MAX_SHIFT_DIST) continue;
      let length = 0;
      while (hyp[h + length] === ref[r + length] && length < MAX_SHIFT_SIZE) {
        length++;
        yield [h, r, length];
        if (hyp.length === h + length || ref.length === r + length) break;
      }
    }
  }
}

const sum = (xs: number[], from: number, to: number) => xs.slice(from, to).reduce((a, b) => a + b, 0);
const flip = (trace: string) => trace.replace(/[id]/g, (op) => (op === OP_INS ? OP_DEL : OP_INS));

function bestShift(words: string[], ref: string[], ed: BeamEditDistance, checkedBefore: number) {
  const [preScore, invTrace] = ed.distance(words);
  // to align, pretend the reference is rewritten into the hypothesis: flip the trace
  const { align, refErr, hypErr } = traceToAlignment(flip(invTrace));
  let checked = checkedBefore;
  // candidates rank by gain, then length, then earliest start, then earliest target (tercom's order)
  let best: { key: [number, number, number, number]; words: string[] } | null = null;
  for (const [start, refStart, length] of matchingBlocks(words, ref)) {
    const skip =
      sum(hypErr, start, start + length) === 0 ||
      sum(refErr, refStart, refStart + length) === 0 ||
      (start <= align.get(refStart)! && align.get(refStart)! < start + length);
    if (!skip) {
      let prevIdx = -1;
      for (let offset = -1; offset < length; offset++) {
        let idx: number;
        if (refStart + offset === -1) idx = 0;
        else if (align.has(refStart + offset)) idx = align.get(refStart + offset)! + 1;
        else break;
        if (idx === prevIdx) continue;
        prevIdx = idx;
        const shifted = performShift(words, start, length, idx);
        const key: [number, number, number, number] = [preScore - ed.distance(shifted)[0], length, -start, -idx];
        checked++;
        if (!best || greater(key, best.key)) best = { key, words: shifted };
      }
    }
    if (checked >= MAX_SHIFT_CANDIDATES) break;
  }
  return best ? { gain: best.key[0], words: best.words, checked } : { gain: 0, words, checked };
}

function greater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}
