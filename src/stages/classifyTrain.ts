// Stage: train one text classifier (teacher, student or baseline) on the prepared data; KD
// students also read the teacher's logits (label stage) and train on the transfer set too.
// Trained on onnxruntime by the one training loop (src/classify/trainClassifier.ts); the
// checkpoints load in TextClassifier (tfjs), which the label, eval and export stages use.
// Promise: the model folder of src/models/modelFolder.ts (config.json, tokenizer.json for a
// Transformer, labels.json, best/ and last/ checkpoints, result.json).
// The training texts are held in memory (shuffled every epoch); the bundled dataset's 33,000
// texts take ~10 MB.
import { join } from 'node:path';

import { readLabelled } from '../classify/labelledData.js';
import { type ClassifierExample, type ClassifierTrainOptions, trainClassifier } from '../classify/trainClassifier.js';
import { readLines } from '../data/textLines.js';
import { type ClassifierConfig, classifierParameterCount } from '../models/classifierConfig.js';
import { copyBeside, writeModelConfig } from '../models/modelFolder.js';
import type { TensorTable } from '../models/weights.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { writeJsonAtomic } from '../util/atomicWrite.js';
import { loadCheckpoint } from '../util/checkpoint.js';
import { readLabels } from './classifyPrepare.js';

export type ClassifierModelConfig = Omit<ClassifierConfig, 'numClasses' | 'vocabSize'>;
// backend: the tfjs backend of the pipeline's other stages; training does not use tfjs
export interface ClassifyTrainConfig {
  model: ClassifierModelConfig;
  train: ClassifierTrainOptions;
  backend?: string;
}
/** pretrainDir: a pretrain stage's folder (./classifyPretrain.ts): training starts from its best encoder */
export interface ClassifyTrainInputs {
  prepareDir: string;
  labelDir?: string;
  pretrainDir?: string;
}

export async function readTeacherLogits(file: string): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for await (const line of readLines(file)) rows.push(Float32Array.from(JSON.parse(line).logits as number[]));
  return rows;
}

/** The pretrained encoder's parameters (checked by the checkpoint's sizes and checksums on load). */
function pretrainedTensors(dir: string): TensorTable {
  const { tensors } = loadCheckpoint(join(dir, 'best'));
  return new Map([...tensors].map(([name, a]) => [name, { data: a.data, dims: a.shape }]));
}

async function readSplit(prepareDir: string, split: string, labels: string[]) {
  const out: Array<{ label: number; text: string }> = [];
  for await (const x of readLabelled(join(prepareDir, 'data', `${split}.tsv`), labels, Infinity)) out.push(x);
  return out;
}

export async function run(
  config: ClassifyTrainConfig,
  inputs: ClassifyTrainInputs,
  outDir: string,
  log: (m: string) => void,
) {
  const labels = readLabels(inputs.prepareDir);
  const train: ClassifierExample[] = (await readSplit(inputs.prepareDir, 'train', labels)).map((x) => ({
    text: x.text,
    gold: x.label,
  }));
  if (config.train.loss.kind !== 'ce') {
    if (!inputs.labelDir) throw new Error(`loss '${config.train.loss.kind}' needs the teacher's labels`);
    const soft = await readTeacherLogits(join(inputs.labelDir, 'train.jsonl'));
    if (soft.length !== train.length)
      throw new Error(`${inputs.labelDir}/train.jsonl: ${soft.length} lines, the training set has ${train.length}`);
    train.forEach((e, i) => (e.teacherLogits = soft[i]));
    const transferSoft = await readTeacherLogits(join(inputs.labelDir, 'transfer.jsonl'));
    let i = 0;
    for await (const text of readLines(join(inputs.prepareDir, 'data', 'transfer.txt')))
      train.push({ text, gold: -1, teacherLogits: transferSoft[i++] });
    if (i !== transferSoft.length)
      throw new Error(`${inputs.labelDir}/transfer.jsonl: ${transferSoft.length} lines, the transfer set has ${i}`);
  }
  const dev = await readSplit(inputs.prepareDir, 'dev', labels);
  const tokenizer =
    config.model.kind === 'transformer' ? Tokenizer.load(join(inputs.prepareDir, 'tokenizer.json')) : null;
  const modelConfig: ClassifierConfig = {
    ...config.model,
    numClasses: labels.length,
    vocabSize: tokenizer ? tokenizer.vocabSize : 0,
  };
  await writeModelConfig(outDir, 'classify', modelConfig);
  copyBeside(inputs.prepareDir, outDir, [...(tokenizer ? ['tokenizer.json'] : []), 'labels.json']);
  const params = classifierParameterCount(modelConfig);
  log(
    `training a ${config.model.kind} classifier of ${params} parameters on ${train.length} texts (${config.train.loss.kind})`,
  );
  const init = inputs.pretrainDir ? pretrainedTensors(inputs.pretrainDir) : undefined;
  const result = await trainClassifier(
    modelConfig,
    tokenizer,
    { train, dev: { texts: dev.map((x) => x.text), gold: dev.map((x) => x.label) } },
    config.train,
    outDir,
    log,
    init,
  );
  const summary = { ...result, params, modelConfig };
  await writeJsonAtomic(join(outDir, 'result.json'), summary);
  return summary;
}
