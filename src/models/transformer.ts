// A pre-LayerNorm Transformer encoder-decoder with tied embeddings (input, output and the
// output projection share one matrix), sized by TransformerConfig.
import { tf } from '../engine/tf.js';
import { PAD } from '../tokenize/tokenizer.js';
import {
  attention,
  embed,
  encoderStack,
  feedForward,
  initParams,
  layerNorm,
  maybeDropout,
  param,
  type Params,
  positions,
} from './layers.js';
import { matMul } from './matMul.js';
import { parameterShapes, type TransformerConfig } from './transformerConfig.js';

const NEG = -1e9;
// tfjs variable names are global: each model instance gets its own prefix
let instances = 0;

export class Transformer {
  constructor(
    readonly config: TransformerConfig,
    readonly params: Params,
  ) {}

  /** Fresh parameters (initParams: embeddings N(0, d^-1/2), projections Glorot-uniform). */
  static init(config: TransformerConfig, seed: number): Transformer {
    return new Transformer(config, initParams(parameterShapes(config), config.dModel, seed, `m${instances++}/`));
  }

  /** Additive mask [B,1,1,L]: 0 for tokens, -1e9 for padding. */
  static paddingMask(ids: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const pad = tf.cast(tf.equal(ids, PAD), 'float32');
      return tf.reshape(tf.mul(pad, NEG), [ids.shape[0], 1, 1, ids.shape[1]]);
    });
  }

  private embedScaled(ids: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const d = this.config.dModel;
    const x = tf.add(
      tf.mul(embed(param(this.params, 'embed') as tf.Tensor2D, ids), Math.sqrt(d)),
      positions(ids.shape[1], d),
    );
    return maybeDropout(x, this.config.dropout, training) as tf.Tensor3D;
  }

  /** Encoder states [B, Ls, d] for source ids [B, Ls] (PAD-padded). */
  encode(src: tf.Tensor2D, srcMask: tf.Tensor4D, training = false): tf.Tensor3D {
    const { heads, dropout, encLayers } = this.config;
    return encoderStack(
      this.params,
      this.embedScaled(src, training),
      srcMask,
      { layers: encLayers, heads, dropout },
      training,
    );
  }

  /** Final decoder states [B, Lt, d] for target inputs [B, Lt] (starting with the start token). */
  decodeStates(memory: tf.Tensor3D, srcMask: tf.Tensor4D, tgtIn: tf.Tensor2D, training = false): tf.Tensor3D {
    const p = this.params;
    const { heads, dropout } = this.config;
    const Lt = tgtIn.shape[1];
    const causal = tf.reshape(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([Lt, Lt]), -1, 0)), NEG), [1, 1, Lt, Lt]);
    let y = this.embedScaled(tgtIn, training);
    for (let l = 0; l < this.config.decLayers; l++) {
      const n1 = layerNorm(p, `dec${l}.ln1`, y) as tf.Tensor3D;
      y = tf.add(y, maybeDropout(attention(p, `dec${l}.self`, n1, n1, causal, heads), dropout, training));
      const n2 = layerNorm(p, `dec${l}.ln2`, y) as tf.Tensor3D;
      y = tf.add(y, maybeDropout(attention(p, `dec${l}.cross`, n2, memory, srcMask, heads), dropout, training));
      y = tf.add(y, maybeDropout(feedForward(p, `dec${l}.ff`, layerNorm(p, `dec${l}.ln3`, y)), dropout, training));
    }
    return layerNorm(p, 'dec.ln', y) as tf.Tensor3D;
  }

  /** Vocabulary logits [N, V] for states [N, d] through the tied embedding. */
  project(states: tf.Tensor2D): tf.Tensor2D {
    // the transpose is materialised: tfjs-wasm multiplies a transposed operand ~10x slower
    const embT = tf.transpose(param(this.params, 'embed'));
    return tf.add(matMul(states, embT as tf.Tensor2D), param(this.params, 'out.bias')) as tf.Tensor2D;
  }

  /** Teacher-forced logits [B*Lt, V] for a batch. */
  logits(src: tf.Tensor2D, tgtIn: tf.Tensor2D, training: boolean): tf.Tensor2D {
    const mask = Transformer.paddingMask(src);
    const states = this.decodeStates(this.encode(src, mask, training), mask, tgtIn, training);
    return this.project(tf.reshape(states, [-1, this.config.dModel]) as tf.Tensor2D);
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}
