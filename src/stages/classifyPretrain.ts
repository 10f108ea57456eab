// Stage pretrain (classify pipelines with teacher.pretrain.steps > 0): the teacher's encoder
// pretrained as a masked language model (src/classify/pretrainMlm.ts) on the unlabelled texts the
// pipeline may read: the training set's texts (without their labels) and the transfer set. The
// teacher stage then fine-tunes from best/, as BERT is fine-tuned. Dev texts serve the masked-token
// accuracy that picks best/; test texts are never read.
// Promise: config.json (the teacher's model config), best/ and last/ checkpoints, result.json.
import { join } from 'node:path';

import { readLabelled } from '../classify/labelledData.js';
import { type MlmOptions, pretrainMlm } from '../classify/pretrainMlm.js';
import { readLines } from '../data/textLines.js';
import type { ClassifierConfig } from '../models/classifierConfig.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { writeJsonAtomic } from '../util/atomicWrite.js';
import { readLabels } from './classifyPrepare.js';
import type { ClassifierModelConfig } from './classifyTrain.js';

export interface ClassifyPretrainConfig {
  model: ClassifierModelConfig;
  pretrain: MlmOptions;
}

const DEV_TEXTS = 500; // masked-token accuracy on this many dev texts

async function texts(prepareDir: string, split: string, labels: string[], limit = Infinity): Promise<string[]> {
  const out: string[] = [];
  for await (const x of readLabelled(join(prepareDir, 'data', `${split}.tsv`), labels, Infinity)) {
    if (out.length >= limit) break;
    out.push(x.text);
  }
  return out;
}

export async function run(
  config: ClassifyPretrainConfig,
  inputs: { prepareDir: string },
  outDir: string,
  log: (m: string) => void,
) {
  if (config.model.kind !== 'transformer')
    throw new Error('teacher.pretrain: masked-language-model pretraining needs a transformer teacher');
  const labels = readLabels(inputs.prepareDir);
  const unlabelled = await texts(inputs.prepareDir, 'train', labels);
  for await (const text of readLines(join(inputs.prepareDir, 'data', 'transfer.txt'))) unlabelled.push(text);
  const tokenizer = Tokenizer.load(join(inputs.prepareDir, 'tokenizer.json'));
  const model: ClassifierConfig = { ...config.model, numClasses: labels.length, vocabSize: tokenizer.vocabSize };
  await writeJsonAtomic(join(outDir, 'config.json'), model);
  const result = await pretrainMlm(
    model,
    tokenizer,
    unlabelled,
    await texts(inputs.prepareDir, 'dev', labels, DEV_TEXTS),
    config.pretrain,
    outDir,
    log,
  );
  const summary = { ...result, texts: unlabelled.length };
  await writeJsonAtomic(join(outDir, 'result.json'), summary);
  return summary;
}
