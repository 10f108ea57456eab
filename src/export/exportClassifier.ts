// kd export for Transformer text classifiers: onnx/model.onnx (input_ids, attention_mask ->
// logits; with quantize: int8 also onnx/model_quantized.onnx), config.json with id2label/label2id,
// tokenizer.json and tokenizer_config.json, in the layout of Hugging Face's sequence-classifier
// exports (transformers.js pipeline('text-classification'), kd label and the classify pipeline's
// pretrained-teacher path load it).
import { classifierGraph } from '../models/classifierGraph.js';
import type { TrainedClassifier } from '../models/load.js';
import { weightsOf } from '../models/weights.js';
import { PAD } from '../tokenize/tokenizer.js';
import { writeExportDir } from './exportDir.js';
import { hfTokenizerConfig, hfTokenizerJson } from './hfTokenizerJson.js';
import { type PrecisionOptions, writeGraphs } from './precisions.js';

/** opts.quantize: also onnx/model_quantized.onnx (int8 weights, dynamic activations; transformers.js dtype 'q8') */
export function exportClassifier(
  model: TrainedClassifier,
  labels: string[],
  outDir: string,
  opts: PrecisionOptions = {},
): void {
  const c = model.config;
  if (c.kind !== 'transformer') {
    throw new Error(
      'only Transformer classifiers export: the n-gram baseline hashes words, which no tokenizer.json can express',
    );
  }
  if (labels.length !== c.numClasses)
    throw new Error(`${labels.length} label names for a classifier of ${c.numClasses} classes`);
  const tensors = model.tensors;
  writeExportDir(outDir, ({ file, json }) => {
    writeGraphs(file, [['model', () => classifierGraph(c, weightsOf(tensors))]], opts);
    json('config.json', {
      // model_type bert: the I/O convention transformers.js expects of a sequence classifier; the
      // network is kd's pre-LayerNorm encoder with mean pooling (kd_classifier_config), run only through this graph
      model_type: 'bert',
      architectures: ['BertForSequenceClassification'],
      vocab_size: c.vocabSize,
      hidden_size: c.dModel,
      num_hidden_layers: c.layers,
      num_attention_heads: c.heads,
      intermediate_size: c.ffDim,
      max_position_embeddings: c.maxTokens,
      pad_token_id: PAD,
      id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
      label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
      kd_classifier_config: c,
    });
    json('tokenizer.json', hfTokenizerJson(model.tokenizer!, { appendEos: false }));
    json('tokenizer_config.json', hfTokenizerConfig(c.maxTokens));
  });
}
