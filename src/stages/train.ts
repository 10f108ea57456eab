// Stage train: a Transformer trained on the prepared data, its targets either the gold references
// or a teacher's pseudo-corpus, with CE, Word-KD or logit-MSE loss. Promise: the model folder of
// src/models/modelFolder.ts: config.json, the vocabulary (tokenizer.json, or teacher.json for a
// pretrained teacher's), best/ (parameters with the best dev BLEU), last/ (resumable state),
// result.json; a killed run resumes from last/.
import { join } from 'node:path';

import { countLines } from '../data/countLines.js';
import { SoftTargetReader } from '../data/softTargets.js';
import { readAllLines } from '../data/textLines.js';
import { initBackend } from '../engine/tf.js';
import { copyBeside, writeModelConfig } from '../models/modelFolder.js';
import { parameterCount, type TransformerConfig } from '../models/transformerConfig.js';
import { loadPipelineTokenizer, TEACHER_VOCABULARY_FILE } from '../runtime/pipelineTokenizer.js';
import { fileExamples } from '../train/exampleStream.js';
import { type TrainOptions, trainTranslation } from '../train/trainer.js';
import { writeJsonAtomic } from '../util/atomicWrite.js';
import { verifyStageOutput } from '../util/fileHash.js';

export interface TrainStageConfig {
  model: Omit<TransformerConfig, 'vocabSize'>;
  train: TrainOptions;
  devSentences: number; // dev pairs used for early stopping (default 200)
  backend?: string;
}

export interface TrainInputs {
  prepareDir: string;
  split?: string; // the prepared pairs to learn from: 'train' (default) or 'distill' (the students' share)
  targets?: string; // pseudo-corpus targets aligned with data/SPLIT.src (default: gold data/SPLIT.tgt)
  softTargets?: string; // soft-target folder for Word-KD / logit MSE
}

export async function run(config: TrainStageConfig, inputs: TrainInputs, outDir: string, log: (m: string) => void) {
  if ((config.train.engine ?? 'onnx') === 'tfjs') await initBackend(config.backend, log);
  const tok = await loadPipelineTokenizer(inputs.prepareDir);
  const split = inputs.split ?? 'train';
  const srcFile = join(inputs.prepareDir, 'data', `${split}.src`);
  const tgtFile = inputs.targets ?? join(inputs.prepareDir, 'data', `${split}.tgt`);
  if (inputs.targets) verifyStageOutput(inputs.targets);
  const [srcCount, tgtCount] = await Promise.all([countLines(srcFile), countLines(tgtFile)]);
  if (srcCount !== tgtCount) throw new Error(`${tgtFile}: ${tgtCount} lines, ${split}.src has ${srcCount}`);
  // streamed every epoch: memory holds one shuffle window, not the corpus
  const train = fileExamples(srcFile, tgtFile, tok);
  const devSrc = (await readAllLines(join(inputs.prepareDir, 'data', 'dev.src'))).slice(0, config.devSentences);
  const devRefs = (await readAllLines(join(inputs.prepareDir, 'data', 'dev.tgt'))).slice(0, config.devSentences);
  const modelConfig: TransformerConfig = { ...config.model, vocabSize: tok.vocabSize };
  const soft = inputs.softTargets ? new SoftTargetReader(inputs.softTargets) : undefined;
  if (soft && soft.manifest.vocabHash !== tok.hash)
    throw new Error(`${inputs.softTargets}: soft targets were made with another vocabulary`);
  if (soft && config.train.loss.kind === 'wordkd' && soft.manifest.temperature !== config.train.loss.temperature) {
    throw new Error(
      `Word-KD temperature ${config.train.loss.temperature} differs from the soft targets' ${soft.manifest.temperature}`,
    );
  }
  await writeModelConfig(outDir, 'translate', modelConfig);
  copyBeside(inputs.prepareDir, outDir, ['tokenizer.json', TEACHER_VOCABULARY_FILE]);
  log(`training ${parameterCount(modelConfig)} parameters on ${srcCount} pairs (${config.train.loss.kind})`);
  const result = await trainTranslation(
    modelConfig,
    { train, dev: { src: devSrc.map((s) => tok.encode(s)), refs: devRefs }, tokenizer: tok, soft },
    config.train,
    outDir,
    log,
  );
  soft?.close();
  const summary = { ...result, params: parameterCount(modelConfig), modelConfig };
  await writeJsonAtomic(join(outDir, 'result.json'), summary);
  return summary;
}
