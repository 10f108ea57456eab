// Text classifiers on tfjs over one interface: texts in, class logits out; each model featurizes
// its own input (subword ids for the Transformer, hashed word n-grams for the baseline), so
// labelling, evaluation and export never ask which kind they hold. Training runs the same model as
// an ONNX graph on onnxruntime (src/models/classifierTrainingGraph.ts; test/classify.graph.test.ts
// holds its loss and gradients to this model's), and this class loads its checkpoints.
// Transformer: BERT-style pre-LayerNorm encoder, masked mean pooling, a linear head.
// Ngrams: fastText-style (Joulin et al. 2017): the mean of hashed unigram and bigram embeddings,
// a linear head; written as a dense bag [B, buckets] times the table, because tfjs-wasm has no
// gradient for gather and a dense product of this size is cheap.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { tf } from '../engine/tf.js';
import { type ClassifierConfig, classifierShapes } from '../models/classifierConfig.js';
import {
  embed,
  encoderStack,
  initParams,
  linear,
  maybeDropout,
  param,
  type Params,
  positions,
} from '../models/layers.js';
import { matMul } from '../models/matMul.js';
import { readModelConfig } from '../models/modelFolder.js';
import { hashedNgrams } from '../models/ngrams.js';
import { PAD, Tokenizer } from '../tokenize/tokenizer.js';
import { loadCheckpoint } from '../util/checkpoint.js';

let instances = 0; // tfjs variable names are global: each model gets its own prefix

export class TextClassifier {
  constructor(
    readonly config: ClassifierConfig,
    readonly params: Params,
    readonly tokenizer: Tokenizer | null,
  ) {
    if (config.kind === 'transformer' && !tokenizer) throw new Error('a transformer classifier needs its tokenizer');
  }

  static init(config: ClassifierConfig, tokenizer: Tokenizer | null, seed: number): TextClassifier {
    const c = config.kind === 'transformer' ? { ...config, vocabSize: tokenizer!.vocabSize } : config;
    return new TextClassifier(c, initParams(classifierShapes(c), c.dModel, seed, `c${instances++}/`), tokenizer);
  }

  /** A trained classifier from its folder: config.json, tokenizer.json (Transformer) and a checkpoint. */
  static load(dir: string, checkpoint = 'best'): TextClassifier {
    const config = readModelConfig<ClassifierConfig>(dir, 'classify');
    const tokFile = join(dir, 'tokenizer.json');
    const model = TextClassifier.init(config, existsSync(tokFile) ? Tokenizer.load(tokFile) : null, 1);
    const ck = loadCheckpoint(join(dir, checkpoint));
    for (const [name, v] of model.params) {
      const a = ck.tensors.get(name)!;
      v.assign(tf.tensor(a.data, a.shape));
    }
    return model;
  }

  /** Class logits [B, C] for a batch of texts. */
  logits(texts: string[], training: boolean): tf.Tensor2D {
    return this.config.kind === 'transformer'
      ? this.transformerLogits(texts, training)
      : this.ngramLogits(texts, training);
  }

  private transformerLogits(texts: string[], training: boolean): tf.Tensor2D {
    const c = this.config;
    const rows = texts.map((t) => this.tokenizer!.encode(t, c.maxTokens));
    const L = Math.max(1, ...rows.map((r) => r.length));
    const ids = tf.tensor2d(
      rows.flatMap((r) => [...r, ...Array(L - r.length).fill(PAD)]),
      [rows.length, L],
      'int32',
    );
    const notPad = tf.cast(tf.notEqual(ids, PAD), 'float32');
    const mask = tf.reshape(tf.mul(tf.sub(1, notPad), -1e9), [rows.length, 1, 1, L]);
    const x = tf.add(
      tf.mul(embed(param(this.params, 'embed') as tf.Tensor2D, ids), Math.sqrt(c.dModel)),
      positions(L, c.dModel),
    );
    const states = encoderStack(this.params, maybeDropout(x, c.dropout, training) as tf.Tensor3D, mask, c, training);
    const w = tf.expandDims(notPad, 2);
    const pooled = tf.div(tf.sum(tf.mul(states, w), 1), tf.maximum(tf.sum(w, 1), 1));
    return linear(this.params, 'head', maybeDropout(pooled, c.dropout, training)) as tf.Tensor2D;
  }

  private ngramLogits(texts: string[], training: boolean): tf.Tensor2D {
    const { buckets } = this.config;
    const bag = new Float32Array(texts.length * buckets);
    texts.forEach((t, i) => {
      const grams = hashedNgrams(t, buckets);
      for (const g of grams) bag[i * buckets + g] += 1 / Math.max(grams.length, 1);
    });
    const pooled = matMul(tf.tensor2d(bag, [texts.length, buckets]), param(this.params, 'ngram.embed') as tf.Tensor2D);
    return linear(this.params, 'head', maybeDropout(pooled, this.config.dropout, training)) as tf.Tensor2D;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}
