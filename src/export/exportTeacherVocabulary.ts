// kd export for a student trained in a pretrained teacher's vocabulary: the student learned in
// pipeline ids (the teacher's renumbered, src/tokenize/teacherIds.ts), so its embedding rows and
// output bias are put back in the teacher's order (row t = the student's row for teacher id t; the
// three pipeline ids no teacher id maps to, never trained as targets, are dropped). The export then
// reads and writes the teacher's own ids: the teacher's tokenizer files go with it unchanged, its
// special ids go in config.json and generation_config.json, and it loads as a drop-in for the
// teacher (kd translate, transformers.js where the teacher has a tokenizer.json, or a pipeline's
// teacher.onnx). The student read every source closed by EOS; a tokenizer.json whose template does
// not write the teacher's eos after the text gets that template (Marian's SentencePiece rules always do).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { TranslationWeights } from '../models/weights.js';
import { tokenizerFiles } from '../onnx/hfTokenizer.js';
import { openModelDir } from '../onnx/modelDir.js';
import { teacherIds } from '../tokenize/teacherIds.js';
import { InputError } from '../util/errors.js';
import { type ExportOptions, exportTranslation } from './exportTranslation.js';

export function exportInTeacherVocabulary(
  student: TranslationWeights,
  teacherDir: string,
  outDir: string,
  opts: ExportOptions = {},
): void {
  const md = openModelDir(teacherDir);
  if (md.kind !== 'seq2seq')
    throw new InputError(
      join(teacherDir, 'config.json'),
      null,
      'describes a classifier; a translation teacher is needed',
    );
  const gen = md.generation!;
  const V = Number(md.config.decoder_vocab_size ?? md.config.vocab_size);
  const c = student.config;
  if (c.vocabSize !== V + 3) {
    throw new InputError(
      teacherDir,
      null,
      `its vocabulary has ${V} ids, so a student trained in it has ${V + 3}; this one has ${c.vocabSize}`,
    );
  }
  const { toKd } = teacherIds(gen);
  const tensors = new Map(student.tensors);
  const embed = student.tensors.get('embed')!;
  const bias = student.tensors.get('out.bias')!;
  const d = c.dModel;
  const rows = new Float32Array(V * d);
  const outBias = new Float32Array(V);
  for (let t = 0; t < V; t++) {
    rows.set(embed.data.subarray(toKd(t) * d, (toKd(t) + 1) * d), t * d);
    outBias[t] = bias.data[toKd(t)];
  }
  tensors.set('embed', { data: rows, dims: [V, d] });
  tensors.set('out.bias', { data: outBias, dims: [V] });
  const files = tokenizerFiles(teacherDir).map((name) => ({
    name,
    bytes:
      name === 'tokenizer.json'
        ? closingEos(join(teacherDir, name), gen.eosId)
        : new Uint8Array(readFileSync(join(teacherDir, name))),
  }));
  exportTranslation({ config: { ...c, vocabSize: V }, tensors }, null, outDir, {
    ...opts,
    vocabulary: {
      pad: gen.padId,
      eos: gen.eosId,
      decoderStart: gen.decoderStartId,
      files,
      config: { kd_model_config: { ...c, vocabSize: V }, kd_teacher_vocabulary: md.dir },
    },
  });
}

/** The teacher's tokenizer.json with a post-processor that writes the text, then eos (the students' sources). */
function closingEos(file: string, eosId: number): Uint8Array {
  const tok = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const eos = tokenOf(tok, eosId);
  if (eos === undefined) throw new InputError(file, null, `has no token for the eos id ${eosId}`);
  tok.post_processor = {
    type: 'TemplateProcessing',
    single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
    pair: [
      { Sequence: { id: 'A', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 0 } },
      { SpecialToken: { id: eos, type_id: 0 } },
    ],
    special_tokens: { [eos]: { id: eos, ids: [eosId], tokens: [eos] } },
  };
  return new TextEncoder().encode(`${JSON.stringify(tok, null, 2)}\n`);
}

/** A token's text by id: the added tokens first, then the model's vocabulary (a map for BPE and WordPiece, a list for Unigram). */
function tokenOf(tok: Record<string, unknown>, id: number): string | undefined {
  const added = (tok.added_tokens as Array<{ id: number; content: string }> | undefined)?.find((a) => a.id === id);
  if (added) return added.content;
  const vocab = (tok.model as { vocab?: unknown } | undefined)?.vocab;
  if (Array.isArray(vocab)) return (vocab[id] as [string, number] | undefined)?.[0];
  if (vocab && typeof vocab === 'object')
    return Object.entries(vocab as Record<string, number>).find(([, v]) => v === id)?.[0];
  return undefined;
}
