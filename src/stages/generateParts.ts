// The generate stage's parts/: each chunk (./generateChunks.ts) as three files named by its first
// line, START.soft-gold.bin and START.soft-seqkd.bin (src/data/softTargetParts.ts), then START.json
// (its n-best lists), written last, each atomically: START.json whole means the chunk is done.
// Whoever decoded a chunk (this process, a shard, the coordinator of a worker fleet) writes it
// here; assembly then reads the parts in order into the stage's outputs.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { partRecords, softTargetPartProblem } from '../data/softTargetParts.js';
import { type SoftTargetManifest, SoftTargetWriter } from '../data/softTargets.js';
import { readLines } from '../data/textLines.js';
import { seqInterSelect } from '../distill/seqInter.js';
import { AtomicLineWriter, writeBinaryAtomic } from '../util/atomicWrite.js';
import { type Chunk, type EncodedChunk, type NbestPart, seqkdLine } from './generateChunks.js';

const KINDS = { gold: 'soft-gold.bin', seqkd: 'soft-seqkd.bin', nbest: 'json' } as const;
type Kind = keyof typeof KINDS;
/** atomicWrite's temporaries: a killed writer's leftovers, not parts */
const TEMPORARY = /\.\d+\.\d+\.tmp$/;

function nbestProblem(bytes: Buffer, sources: number): string | null {
  try {
    const part = JSON.parse(bytes.toString('utf8')) as NbestPart;
    if (Array.isArray(part.nbest) && part.nbest.length === sources) return null;
  } catch {
    /* unparseable: reported below */
  }
  return `not ${sources} n-best lists`;
}

export class ChunkParts {
  constructor(
    readonly dir: string,
    private readonly topK: number,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  file(c: Chunk, kind: Kind): string {
    return join(this.dir, `${String(c.start).padStart(9, '0')}.${KINDS[kind]}`);
  }

  /** Why chunk c is not done (null when it is): missing, or a file damaged since it was written. */
  problem(c: Chunk): string | null {
    if (!existsSync(this.file(c, 'nbest'))) return 'missing';
    for (const kind of ['gold', 'seqkd'] as const) {
      const file = this.file(c, kind);
      const why = existsSync(file) ? softTargetPartProblem(file, c.length, this.topK) : 'missing';
      if (why) return `${file}: ${why}`;
    }
    const why = nbestProblem(readFileSync(this.file(c, 'nbest')), c.length);
    return why && `${this.file(c, 'nbest')}: ${why}`;
  }

  /** Whether chunk c is done; a damaged one is reported (and so decoded again, not trusted). */
  done(c: Chunk, log: (m: string) => void): boolean {
    const why = this.problem(c);
    if (why && why !== 'missing') log(`${why}; decoding its chunk again`);
    return !why;
  }

  /** Checks a decoded chunk's bytes, then writes its files, the n-best part last. */
  write(c: Chunk, enc: EncodedChunk): void {
    const why =
      nbestProblem(enc.nbest, c.length) ??
      softTargetPartProblem(enc.gold, c.length, this.topK) ??
      softTargetPartProblem(enc.seqkd, c.length, this.topK);
    if (why) throw new Error(`chunk ${c.index} (lines ${c.start + 1}-${c.start + c.length}) came back damaged: ${why}`);
    writeBinaryAtomic(this.file(c, 'gold'), enc.gold);
    writeBinaryAtomic(this.file(c, 'seqkd'), enc.seqkd);
    writeBinaryAtomic(this.file(c, 'nbest'), enc.nbest);
  }

  /** Every planned chunk is there and whole, and nothing else is (a stray or overlapping part is an error). */
  checkExactlyOnce(plan: Chunk[]): void {
    const expected = new Set(plan.flatMap((c) => (Object.keys(KINDS) as Kind[]).map((k) => this.file(c, k))));
    const stray = readdirSync(this.dir)
      .map((n) => join(this.dir, n))
      .filter((f) => !expected.has(f) && !TEMPORARY.test(f));
    if (stray.length)
      throw new Error(
        `${this.dir}: ${stray.length} file(s) that are no part of this stage's ${plan.length} chunks (${stray.slice(0, 3).join(', ')}): delete them`,
      );
    const bad = plan.map((c) => [c, this.problem(c)] as const).filter(([, why]) => why);
    if (bad.length) {
      const [c, why] = bad[0];
      throw new Error(
        `${this.dir}: ${bad.length} of ${plan.length} chunks are not done (first: chunk ${c.index}, lines ${c.start + 1}-${c.start + c.length}: ${why}); ` +
          'run the shards that hold them (chunk c is shard (c mod N) + 1 of N), or kd generate PIPELINE without --merge to decode them here',
      );
    }
  }
}

/**
 * seqkd.tgt, seqinter.tgt, nbest.jsonl and soft-gold/, soft-seqkd/ from the parts in order,
 * beside a streamed reference: memory holds one chunk.
 */
export async function assembleOutputs(
  plan: Chunk[],
  parts: ChunkParts,
  refFile: string,
  outDir: string,
  softMeta: Omit<SoftTargetManifest, 'format' | 'sentences' | 'positions' | 'shards'>,
) {
  const seqkd = new AtomicLineWriter(join(outDir, 'seqkd.tgt'));
  const seqinter = new AtomicLineWriter(join(outDir, 'seqinter.tgt'));
  const nbest = new AtomicLineWriter(join(outDir, 'nbest.jsonl'));
  const soft = {
    gold: new SoftTargetWriter(join(outDir, 'soft-gold'), softMeta),
    seqkd: new SoftTargetWriter(join(outDir, 'soft-seqkd'), softMeta),
  };
  const refs = readLines(refFile)[Symbol.asyncIterator]();
  let nbestLines = 0;
  let emptyTopBeams = 0;
  for (const c of plan) {
    const part = JSON.parse(readFileSync(parts.file(c, 'nbest'), 'utf8')) as NbestPart;
    for (const list of part.nbest) {
      const ref = (await refs.next()).value as string;
      // an empty top beam would be an empty training line: the source's reference stands in, counted
      if (!list[0]?.text) emptyTopBeams++;
      const top = seqkdLine(list, ref);
      await seqkd.write(top);
      await seqinter.write(
        list.length
          ? list[
              seqInterSelect(
                list.map((h) => h.text),
                ref,
              )
            ].text || top
          : top,
      );
      await nbest.write(JSON.stringify({ nbest: list }));
      nbestLines++;
    }
    for (const kind of ['gold', 'seqkd'] as const) {
      for (const r of partRecords(readFileSync(parts.file(c, kind)), softMeta.topK))
        soft[kind].addEncoded(r.length, r.record);
    }
  }
  await Promise.all([seqkd.commit(), seqinter.commit(), nbest.commit()]);
  const manifests = { gold: await soft.gold.finish(), seqkd: await soft.seqkd.finish() };
  return { nbestLines, emptyTopBeams, manifests };
}
