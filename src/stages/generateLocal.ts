// Who decodes the generate stage's missing chunks: this process by default (decodeHere), or an
// executor the caller gives (kd generate --queue: the worker fleet, src/fleet/coordinator.ts).
// Either way the chunks land in the stage's parts/ (./generateParts.ts) through decodeChunk.
import { initBackend } from '../engine/tf.js';
import { loadTranslationModel } from '../runtime/translationModel.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { Progress } from '../util/progress.js';
import type { GenerateConfig, GenerateInputs } from './generate.js';
import { type Chunk, chunkInputs, decodeChunk } from './generateChunks.js';
import type { ChunkParts } from './generateParts.js';

/** The chunks to decode and everything needed to decode them and to file the results. */
export interface ChunkWork {
  config: GenerateConfig;
  inputs: GenerateInputs;
  outDir: string;
  files: { src: string; ref: string };
  /** the chunks this process answers for (all, or a shard's), and those of them left to decode */
  share: Chunk[];
  todo: Chunk[];
  parts: ChunkParts;
  tok: SubwordCodec;
  log: (m: string) => void;
}

export interface ChunkExecutor {
  /** Decodes work.todo into work.parts; returns its wall time and peak memory. */
  decode(work: ChunkWork): Promise<{ seconds: number; peakRssMb: number }>;
}

const sentences = (chunks: Chunk[]) => chunks.reduce((n, c) => n + c.length, 0);

/** A progress bar over this process's share of the split, starting where earlier runs left it. */
export function chunkProgress(label: string, work: ChunkWork): Progress {
  const total = sentences(work.share);
  return new Progress(label, total, 'sent', total - sentences(work.todo));
}

/** Decodes the chunks in this process, streaming the split (memory holds one chunk). */
export const decodeHere: ChunkExecutor = {
  async decode(work) {
    if (!work.todo.length) return { seconds: 0, peakRssMb: 0 };
    const { config, inputs } = work;
    if (config.engine === 'tfjs') await initBackend(config.backend, work.log);
    // a train stage folder, or a pretrained ONNX teacher's
    const teacher = await loadTranslationModel(inputs.teacherDir, config.engine, work.log);
    try {
      const progress = chunkProgress('generate', work);
      const todo = new Set(work.todo.map((c) => c.index));
      for await (const input of chunkInputs(work.files.src, work.files.ref, config.chunk, (c) => todo.has(c.index))) {
        work.parts.write(input, await decodeChunk(teacher, work.tok, config, input, (n) => progress.tick(n)));
      }
      progress.finish();
      return { seconds: progress.seconds, peakRssMb: progress.peakRssMb };
    } finally {
      teacher.dispose();
    }
  },
};
