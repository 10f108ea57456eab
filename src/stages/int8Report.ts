// kd int8-report: trained models side by side in fp32 and int8, measured as a pipeline's eval
// stages measure them (./evaluate.ts, ./classifyEval.ts with int8 on: each model's int8 export
// decoded right after its fp32 one, in one process on one machine), without rerunning a pipeline
// whose stage keys a code change has moved. Writes report.md and report.json to outDir.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { modelTaskOf } from '../models/modelFolder.js';
import { classifyReportMarkdown } from '../report/classifyReport.js';
import { evalRows, reportMarkdown, type ReportRow } from '../report/distillReport.js';
import { writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';
import { InputError } from '../util/errors.js';

export interface Int8ReportOptions {
  prepareDir: string;
  /** train stage folders (student-NAME-KEY): all translation models or all classifiers */
  models: string[];
  /** translation: also evaluated (fp32 only), for fidelity columns; classify: required (agreement with the teacher) */
  teacher?: string;
  beam: number;
  batchSize: number;
  lengthPenalty: number;
  maxLength: number;
  outDir: string;
}

/** A train stage folder's short name: student-wordkd-1a2b3c -> wordkd. */
const nameOf = (dir: string) =>
  basename(dir.replace(/\/+$/, ''))
    .replace(/^student-/, '')
    .replace(/-[0-9a-f]{12}$/, '');

export async function int8Report(
  opts: Int8ReportOptions,
  log: (m: string) => void,
): Promise<{ markdown: string; rows: object[] }> {
  for (const d of [opts.prepareDir, ...opts.models, ...(opts.teacher ? [opts.teacher] : [])]) {
    if (!existsSync(d)) throw new InputError(d, null, 'not found');
  }
  const kinds = new Set(opts.models.map(modelTaskOf));
  if (kinds.has(null))
    throw new Error(
      `--model: ${opts.models.find((d) => !modelTaskOf(d))} is not a trained kd model folder (config.json with a task)`,
    );
  if (kinds.size !== 1) throw new Error('--model: name translation models or classifiers, not both');
  const classify = kinds.has('classify');
  let markdown: string;
  let rows: object[];
  if (classify) {
    if (!opts.teacher)
      throw new Error('--teacher: a classifier report measures agreement with the teacher; name its folder');
    const { run } = await import('./classifyEval.js');
    const models = [
      { name: 'teacher', label: 'Teacher', dirs: [opts.teacher], student: false },
      ...opts.models.map((dir) => ({ name: nameOf(dir), label: nameOf(dir), dirs: [dir], student: true })),
    ];
    const result = await run({ batchSize: opts.batchSize, int8: true }, { prepareDir: opts.prepareDir, models }, log);
    rows = result.rows;
    markdown = classifyReportMarkdown('int8 against fp32', result.rows, [
      `Test set: ${result.testExamples} texts of ${opts.prepareDir}; batch ${opts.batchSize}; one process, this machine.`,
    ]);
  } else {
    const { run } = await import('./evaluate.js');
    const cfg = {
      beam: opts.beam,
      lengthPenalty: opts.lengthPenalty,
      batchSize: opts.batchSize,
      maxLength: opts.maxLength,
      engine: 'onnx',
      int8: true,
    };
    const scratch = mkdtempSync(join(tmpdir(), 'kd-int8-report-'));
    const all: ReportRow[] = [];
    try {
      let teacherHyps: string | undefined;
      if (opts.teacher) {
        const dir = join(scratch, 'teacher');
        all.push(
          ...evalRows('Teacher', {
            ...(await run({ ...cfg, int8: false }, { prepareDir: opts.prepareDir, modelDir: opts.teacher }, dir, log)),
            bleuVsTeacher: null,
          }),
        );
        teacherHyps = join(dir, 'hyp.beam.txt');
      }
      for (const m of opts.models) {
        log(`[int8-report] ${m}`);
        all.push(
          ...evalRows(
            nameOf(m),
            await run(cfg, { prepareDir: opts.prepareDir, modelDir: m, teacherHyps }, join(scratch, nameOf(m)), log),
          ),
        );
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    rows = all;
    markdown = reportMarkdown('int8 against fp32', all, opts.beam, [
      `Test set: ${opts.prepareDir}/data/test.*; beam ${opts.beam}, batch ${opts.batchSize}, length penalty ${opts.lengthPenalty}; each model's fp32 then int8 decoding in one process on this machine.`,
      'Size MB: the ONNX files transformers.js loads (encoder + merged decoder).',
    ]);
  }
  writeTextAtomicSync(join(opts.outDir, 'report.md'), markdown);
  await writeJsonAtomic(join(opts.outDir, 'report.json'), {
    task: classify ? 'classify' : 'translate',
    rows,
    options: opts,
  });
  return { markdown, rows };
}
