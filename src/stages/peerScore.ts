// kd peer: the PyTorch yardstick's systems (../shared/bench/seqkd_quality_peer.py) scored by kd,
// as report rows beside a translation pipeline's own. The peer writes its hypotheses to files
// (hyp-SLUG.greedy.txt on the whole test set, hyp-SLUG.beam4-first300.txt on its first 300
// sentences) and its own figures to results.json; here they are scored with the report's
// sacreBLEU-exact BLEU and chrF against the pipeline's test references, which must be the ones
// the peer saw (its test.ref), line for line. Written to eval/NAME/peer.json, which the report
// reads: rows marked `peer: true`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readAllLines } from '../data/textLines.js';
import { Bleu, Chrf } from '../metrics/index.js';
import { writeJsonAtomic } from '../util/atomicWrite.js';
import { InputError } from '../util/errors.js';
import { resolveSplitFile } from './prepare.js';

/** One system in the peer's results.json (its own yardstick figures). */
interface PeerResult {
  tag: string; // e.g. 'teacher 256x3+3', 'student Seq-KD 128x2+2'
  params: number;
  greedy_sent_per_s: number;
  beam4_sent_per_s: number;
}

export interface PeerRow {
  system: string;
  peer: true;
  bleuGreedy: number;
  bleuBeam: null; // the peer decodes beam 4 on the first 300 sentences only: see bleuBeam4First300
  chrfBeam: null;
  chrfGreedy: number;
  bleuVsTeacher: number | null; // greedy output against the peer teacher's greedy output
  params: number;
  sentencesPerSecondGreedy: number;
  sentencesPerSecondBeam: null;
  bleuBeam4First300: number;
  sentencesPerSecondBeam4First300: number;
}

export interface PeerFile {
  madeWith: string; // how the peer was run, as the user gives it
  peerDir: string;
  signature: string;
  sentences: number;
  rows: PeerRow[];
  notes: string[];
  peerResults: PeerResult[]; // the peer's own results.json, kept as it was
}

/** The peer's file name for a system: its tag lower-cased, runs of other characters as '-'. */
export const peerSlug = (tag: string) =>
  tag
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

async function lines(file: string): Promise<string[]> {
  if (!existsSync(file)) throw new InputError(file, null, 'missing (the peer writes it; did it finish?)');
  return readAllLines(file);
}

/** The pipeline's test set: its path prefix, target language and size limit (0: whole). */
export interface PeerTestSet {
  test: string;
  tgt: string;
  maxTest: number;
}

export async function scorePeer(c: PeerTestSet, peerDir: string, madeWith: string): Promise<PeerFile> {
  const refFile = resolveSplitFile(c.test, c.tgt);
  const refs = (await readAllLines(refFile)).slice(0, c.maxTest || undefined);
  const peerRefs = await lines(join(peerDir, 'test.ref'));
  const differs = refs.findIndex((r, i) => r !== peerRefs[i]);
  if (peerRefs.length !== refs.length || differs >= 0)
    throw new InputError(
      join(peerDir, 'test.ref'),
      differs >= 0 ? differs + 1 : null,
      `not the pipeline's test set ${refFile} (${peerRefs.length} against ${refs.length} lines): run the peer on the pipeline's corpus folder`,
    );
  const resultsFile = join(peerDir, 'results.json');
  if (!existsSync(resultsFile))
    throw new InputError(resultsFile, null, 'missing (the peer writes it when it finishes)');
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as PeerResult[];
  const teacher = results.find((r) => r.tag.startsWith('teacher'));
  const hyps = (tag: string, kind: 'greedy' | 'beam4-first300') =>
    lines(join(peerDir, `hyp-${peerSlug(tag)}.${kind}.txt`));
  const teacherGreedy = teacher ? await hyps(teacher.tag, 'greedy') : null;
  const bleu = new Bleu();
  const chrf = new Chrf();
  const rows: PeerRow[] = [];
  for (const r of results) {
    const greedy = await hyps(r.tag, 'greedy');
    const beam = await hyps(r.tag, 'beam4-first300');
    if (greedy.length !== refs.length || beam.length !== Math.min(300, refs.length))
      throw new InputError(
        peerDir,
        null,
        `${r.tag}'s hypotheses have ${greedy.length} greedy and ${beam.length} beam lines for ${refs.length} references`,
      );
    rows.push({
      system: `PyTorch peer: ${r.tag}`,
      peer: true,
      bleuGreedy: bleu.corpus(greedy, [refs]).score,
      bleuBeam: null,
      chrfBeam: null,
      chrfGreedy: chrf.corpus(greedy, [refs]).score,
      bleuVsTeacher: r === teacher || !teacherGreedy ? null : bleu.corpus(greedy, [teacherGreedy]).score,
      params: r.params,
      sentencesPerSecondGreedy: r.greedy_sent_per_s,
      sentencesPerSecondBeam: null,
      bleuBeam4First300: bleu.corpus(beam, [refs.slice(0, beam.length)]).score,
      sentencesPerSecondBeam4First300: r.beam4_sent_per_s,
    });
  }
  const notes = [
    `PyTorch peer rows (peer: true in report.json): ${madeWith}. Same train/dev/test split, its own SentencePiece vocabulary; its hypotheses scored by kd peer with the same BLEU and chrF against the same ${refs.length} references. It decodes greedy on the whole test set and beam 4 on the first 300 sentences only, so its beam columns are empty (bleuBeam4First300 has that figure), its chrF is greedy's (chrfGreedy), and its BLEU vs teacher is its student's greedy output against its teacher's greedy output. Compare kd and the peer on BLEU greedy.`,
  ];
  return { madeWith, peerDir, signature: bleu.signature(1), sentences: refs.length, rows, notes, peerResults: results };
}

/** eval/NAME/peer.json: the report adds its rows and notes. */
export const peerFile = (reportDir: string) => join(reportDir, 'peer.json');

export async function writePeerFile(reportDir: string, peer: PeerFile): Promise<string> {
  const file = peerFile(reportDir);
  await writeJsonAtomic(file, peer);
  return file;
}

/** The peer rows and notes for a report, when the report folder has a peer.json. */
export function readPeerFile(reportDir: string): Pick<PeerFile, 'rows' | 'notes'> {
  const file = peerFile(reportDir);
  if (!existsSync(file)) return { rows: [], notes: [] };
  const peer = JSON.parse(readFileSync(file, 'utf8')) as Partial<PeerFile>;
  if (!Array.isArray(peer.rows) || !Array.isArray(peer.notes))
    throw new InputError(file, null, 'no rows or notes (write it with kd peer)');
  return { rows: peer.rows, notes: peer.notes };
}
