// The precisions an export writes each graph in: fp32 (onnx/NAME.onnx) and, with quantize: 'int8',
// the dynamically quantized graph (onnx/NAME_quantized.onnx, transformers.js' dtype 'q8'; see
// ./quantizeGraph.ts). Each precision builds its own graph: the quantization pass rewrites in place.
import { modelBytes, type OnnxGraph } from '../graph/onnxGraph.js';
import { DTYPE_SUFFIX } from '../onnx/onnxFiles.js';
import { quantizeGraph, type QuantizeOptions } from './quantizeGraph.js';

export const QUANTIZE_KINDS = ['int8'] as const;

export interface PrecisionOptions {
  /** also write each graph quantized to int8 (NAME_quantized.onnx) */
  quantize?: (typeof QUANTIZE_KINDS)[number];
  /** false: the quantized graphs only (kd's own int8 evaluation); default true */
  fp32?: boolean;
  quantizeOptions?: QuantizeOptions;
}

export function writeGraphs(
  file: (name: string, bytes: Uint8Array) => void,
  graphs: Array<[string, () => OnnxGraph]>,
  opts: PrecisionOptions,
): void {
  if (opts.quantize !== undefined && !QUANTIZE_KINDS.includes(opts.quantize))
    throw new Error(`unknown quantization '${opts.quantize}' (known: ${QUANTIZE_KINDS.join(', ')})`);
  if (opts.fp32 === false && !opts.quantize) throw new Error('an export needs fp32 graphs, quantized ones, or both');
  for (const [name, build] of graphs) {
    if (opts.fp32 !== false) file(`onnx/${name}.onnx`, modelBytes(build()));
    if (opts.quantize) {
      const g = build();
      quantizeGraph(g, opts.quantizeOptions);
      file(`onnx/${name}${DTYPE_SUFFIX.q8}.onnx`, modelBytes(g));
    }
  }
}
