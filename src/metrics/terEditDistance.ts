// Word-level Levenshtein distance with a trace of operations, as sacreBLEU's lib_ter computes it:
// only a band around the (length-ratio) diagonal is filled, and rows are cached by hypothesis
// prefix, since TER's shift search asks for many hypotheses that share long prefixes. A row keeps
// only its band (everything outside it is infinite, as sacreBLEU's full rows hold there), so memory
// grows with hypothesis length x band, not with the product of the lengths (a 25,000-word line
// took gigabytes as full rows).

export const OP_INS = 'i';
export const OP_DEL = 'd';
export const OP_NOP = ' ';
export const OP_SUB = 's';
const BEAM_WIDTH = 25;
const MAX_CACHE_SIZE = 10000;
const INFINITY = 1e16;

/** cost and op of columns lo .. lo + cost.length - 1; other columns cost INFINITY and have no op */
interface Row {
  lo: number;
  cost: Float64Array;
  op: string[];
}

const costAt = (row: Row, j: number) => (j >= row.lo && j < row.lo + row.cost.length ? row.cost[j - row.lo] : INFINITY);
const opAt = (row: Row, j: number) => (j >= row.lo && j < row.lo + row.op.length ? row.op[j - row.lo] : 'x');
interface CacheNode {
  next: Map<string, [CacheNode, Row]>;
}

export class BeamEditDistance {
  private readonly ref: string[];
  private readonly initialRow: Row;
  private readonly cache: CacheNode = { next: new Map() };
  private cacheSize = 0;

  constructor(ref: string[]) {
    this.ref = ref;
    const n = ref.length + 1;
    this.initialRow = { lo: 0, cost: Float64Array.from({ length: n }, (_, j) => j), op: new Array(n).fill(OP_INS) };
  }

  /** distance(hyp) -> [edits, trace]; the trace rewrites the hypothesis into the reference. */
  distance(hyp: string[]): [number, string] {
    const rows: Row[] = [this.initialRow];
    let node = this.cache;
    for (const word of hyp) {
      const hit = node.next.get(word);
      if (!hit) break;
      node = hit[0];
      rows.push(hit[1]);
    }
    const start = rows.length - 1;
    const [edits, trace] = this.fill(hyp, rows);
    this.remember(hyp, rows, start);
    return [edits, trace];
  }

  private fill(hyp: string[], rows: Row[]): [number, string] {
    const nRef = this.ref.length;
    const nHyp = hyp.length;
    const start = rows.length - 1;
    const ratio = nHyp ? nRef / nHyp : 1;
    const beam = BEAM_WIDTH < ratio / 2 ? Math.ceil(ratio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    for (let i = start + 1; i <= nHyp; i++) {
      const diag = Math.floor(i * ratio);
      const minJ = Math.max(0, diag - beam);
      const maxJ = i === nHyp ? nRef + 1 : Math.min(nRef + 1, diag + beam);
      const prev = rows[i - 1];
      const width = Math.max(0, maxJ - minJ);
      const row: Row = { lo: minJ, cost: new Float64Array(width).fill(INFINITY), op: new Array(width).fill('x') };
      rows.push(row);
      for (let j = minJ; j < maxJ; j++) {
        const k = j - minJ;
        if (j === 0) {
          row.cost[0] = costAt(prev, 0) + 1;
          row.op[0] = OP_DEL;
          continue;
        }
        const same = hyp[i - 1] === this.ref[j - 1];
        // tercom prefers match/substitution, then insertion, then deletion; the trace is
        // flipped later, so deletion is tried before insertion here (as sacreBLEU does)
        const candidates: Array<[number, string]> = [
          [costAt(prev, j - 1) + (same ? 0 : 1), same ? OP_NOP : OP_SUB],
          [costAt(prev, j) + 1, OP_DEL],
          [(k > 0 ? row.cost[k - 1] : INFINITY) + 1, OP_INS],
        ];
        for (const [cost, op] of candidates) {
          if (row.cost[k] > cost) {
            row.cost[k] = cost;
            row.op[k] = op;
          }
        }
      }
    }
    let trace = '';
    let i = nHyp;
    let j = nRef;
    while (i > 0 || j > 0) {
      const op = opAt(rows[i], j);
      trace = op + trace;
      if (op === OP_SUB || op === OP_NOP) {
        i--;
        j--;
      } else if (op === OP_INS) j--;
      else if (op === OP_DEL) i--;
      else throw new Error(`TER: unknown edit operation '${op}'`);
    }
    return [costAt(rows[nHyp], nRef), trace];
  }

  private remember(hyp: string[], rows: Row[], start: number): void {
    if (this.cacheSize >= MAX_CACHE_SIZE) return;
    let node = this.cache;
    for (let i = 0; i < start; i++) node = node.next.get(hyp[i])![0];
    for (let i = start; i < hyp.length; i++) {
      let hit = node.next.get(hyp[i]);
      if (!hit) {
        hit = [{ next: new Map() }, rows[i + 1]];
        node.next.set(hyp[i], hit);
        this.cacheSize++;
      }
      node = hit[0];
    }
  }
}
