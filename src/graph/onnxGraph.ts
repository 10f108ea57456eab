// Builds ONNX graphs (opset 17) node by node and serialises them (ONNX's protobuf schema,
// onnx/onnx.proto: the field numbers below are that file's). Nodes are kept as records, with each
// value's element type and shape (./shapes.ts), so that ./autodiff.ts can walk them backwards.
import { ProtoWriter } from './protobuf.js';
import { inferShapes, type Shape } from './shapes.js';

export const FLOAT = 1;
export const UINT8 = 2;
export const INT8 = 3;
export const INT32 = 6;
export const INT64 = 7;
export const BOOL = 9;
export const DOUBLE = 11;

export type Dim = number | string; // a size, or a symbolic name
export type Attr =
  { i: number } | { f: number } | { s: string } | { ints: number[] } | { t: TensorData } | { g: OnnxGraph };
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int8Array | Uint8Array; // 8-bit: quantized weights (src/export/quantizeGraph.ts)

/** domain: the operator set ('' = ONNX's own; 'com.microsoft' = onnxruntime's contrib operators) */
export interface GraphNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
  domain?: string;
}

/**
 * A block of nodes from `inputs` to `output` whose gradient is given whole (tf.customGrad's idea):
 * autodiff calls `rule` with the output's gradient instead of walking the block's nodes. For
 * fused gradients that are much cheaper than their parts (softmax cross-entropy: one pass over the
 * logits instead of a dozen).
 */
export interface CustomGradient {
  inputs: string[];
  output: string;
  rule: (dy: string) => Array<string | null>;
}
export interface ValueInfo {
  type: number;
  shape: Shape;
}

export class OnnxGraph {
  readonly nodes: GraphNode[] = [];
  readonly values = new Map<string, ValueInfo>();
  /** int64 constants by name, so shape inference can read Reshape targets and axes */
  readonly constInts = new Map<string, number[]>();
  readonly customGradients: CustomGradient[] = [];
  private inits: Array<{ name: string; data: TensorData; dims: number[] }> = [];
  private inputs: Array<{ name: string; type: number; dims: Dim[] }> = [];
  private outputs: Array<{ name: string; type: number; dims: Dim[] }> = [];
  private counter = 0;
  private consts = new Map<string, string>();

  /** prefix keeps value names unique when several graphs (If branches) share one model */
  constructor(
    readonly name: string,
    private readonly prefix = '',
    private readonly parent?: OnnxGraph,
  ) {}

  /** dtype: FLOAT by default; DOUBLE builds the same graph in float64 (the gradient tests) */
  dtype = FLOAT;

  input(name: string, elemType: number, dims: Dim[]): string {
    this.inputs.push({ name, type: elemType, dims });
    this.values.set(name, { type: elemType, shape: [...dims] });
    return name;
  }

  output(name: string, elemType: number, dims: Dim[]): void {
    this.outputs.push({ name, type: elemType, dims });
  }

  /** Declared inputs (name, type, dims), in order. */
  inputList(): ReadonlyArray<{ name: string; type: number; dims: Dim[] }> {
    return this.inputs;
  }

  initializer(name: string, data: TensorData, dims: number[]): string {
    // branches keep their constants in the outermost graph, where every branch can see them
    if (this.parent) {
      this.parent.initializer(name, data, dims);
      this.values.set(name, this.parent.info(name));
      return name;
    }
    this.inits.push({ name, data, dims });
    this.values.set(name, { type: typeOf(data), shape: [...dims] });
    if (data instanceof BigInt64Array) this.constInts.set(name, Array.from(data, Number));
    return name;
  }

  /** An int64 constant (a vector, or a scalar), created once per distinct value. */
  ints(values: number[], scalar = false): string {
    return this.constant(
      `${scalar ? 's' : 'v'}${values.join(',')}`,
      BigInt64Array.from(values.map(BigInt)),
      scalar ? [] : [values.length],
    );
  }

  /** A scalar of the graph's float type. */
  floatScalar(value: number): string {
    const data = this.root().dtype === DOUBLE ? Float64Array.of(value) : Float32Array.of(value);
    return this.constant(`f${this.root().dtype}:${value}`, data, []);
  }

  /** A float tensor constant of the graph's float type (e.g. the sinusoid table). */
  floatTensor(key: string, data: Float32Array, dims: number[]): string {
    const typed = this.root().dtype === DOUBLE ? Float64Array.from(data) : data;
    return this.constant(`t${key}`, typed, dims);
  }

  /** A float tensor of the graph's type, filled with `value`, shaped like `like` (ConstantOfShape: a memset). */
  filledLike(like: string, value: number): string {
    const data = this.root().dtype === DOUBLE ? Float64Array.of(value) : Float32Array.of(value);
    return this.op('ConstantOfShape', [this.op('Shape', [like])], { value: { t: data } });
  }

  /** Constants live in the outermost graph, one initializer per distinct key. */
  private constant(key: string, data: TensorData, dims: number[]): string {
    const root = this.root();
    let name = root.consts.get(key);
    if (!name) {
      name = root.initializer(`const_${root.consts.size}`, data, dims);
      root.consts.set(key, name);
    }
    if (this !== root) this.values.set(name, root.info(name));
    return name;
  }

  private root(): OnnxGraph {
    return this.parent ? this.parent.root() : this;
  }

  /** An initializer's data and dims (looked up in the outermost graph), or undefined. */
  initializerData(name: string): { data: TensorData; dims: number[] } | undefined {
    const t = this.root().inits.find((i) => i.name === name);
    return t && { data: t.data, dims: t.dims };
  }

  /** Drops the outermost graph's initializers that `keep` rejects (a rewrite left them unused). */
  dropInitializers(keep: (name: string) => boolean): void {
    const root = this.root();
    root.inits = root.inits.filter((i) => keep(i.name));
  }

  /** Declared outputs (name, type, dims), in order. */
  outputList(): ReadonlyArray<{ name: string; type: number; dims: Dim[] }> {
    return this.outputs;
  }

  info(name: string): ValueInfo {
    const v = this.values.get(name) ?? this.parent?.values.get(name);
    if (!v) throw new Error(`graph ${this.name}: no value named ${name}`);
    return v;
  }

  /** Adds a node; returns its output names (fresh ones unless given). */
  node(
    op: string,
    inputs: string[],
    attrs: Record<string, Attr> = {},
    outputs: number | string[] = 1,
    domain?: string,
  ): string[] {
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => `${this.prefix}${op}_${this.counter++}`)
        : outputs;
    const node: GraphNode = { op, inputs, outputs: outs, attrs, ...(domain ? { domain } : {}) };
    this.nodes.push(node);
    const infos = inferShapes(
      node,
      (n) => (n === '' ? undefined : (this.values.get(n) ?? this.parent?.values.get(n))),
      (n) => this.constInts.get(n) ?? this.parent?.constInts.get(n),
    );
    outs.forEach((o, i) => {
      if (infos[i]) this.values.set(o, infos[i]!);
    });
    return outs;
  }

  /** Declares that the nodes from `inputs` to `output` take their gradient from `rule` (see CustomGradient). */
  customGradient(inputs: string[], output: string, rule: CustomGradient['rule']): void {
    this.customGradients.push({ inputs, output, rule });
  }

  /** Gives an existing node one more output (autodiff asks Dropout for its mask, LayerNormalization for its statistics). */
  extraOutput(node: GraphNode, info: ValueInfo): string {
    const name = `${this.prefix}${node.op}_${this.counter++}`;
    node.outputs.push(name);
    this.values.set(name, info);
    return name;
  }

  /** One-output node. */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, output?: string): string {
    return this.node(op, inputs, attrs, output ? [output] : 1)[0];
  }

  /** The operator sets this graph's nodes use beyond ONNX's own (subgraphs included). */
  domains(): Set<string> {
    const found = new Set<string>();
    for (const n of this.nodes) {
      if (n.domain) found.add(n.domain);
      for (const a of Object.values(n.attrs)) if ('g' in a) for (const d of a.g.domains()) found.add(d);
    }
    return found;
  }

  encode(): ProtoWriter {
    const g = new ProtoWriter();
    this.nodes.forEach((n, i) => g.message(1, encodeNode(n, `${this.prefix}${n.op}_n${i}`)));
    g.string(2, this.name);
    for (const t of this.inits) g.message(5, tensorProto(t.name, t.data, t.dims));
    for (const i of this.inputs) g.message(11, valueInfo(i.name, i.type, i.dims));
    for (const o of this.outputs) g.message(12, valueInfo(o.name, o.type, o.dims));
    return g;
  }
}

export function modelBytes(graph: OnnxGraph, producer = 'kd'): Uint8Array {
  const model = new ProtoWriter()
    .int(1, 8)
    .string(2, producer)
    .message(7, graph.encode())
    .message(8, new ProtoWriter().string(1, '').int(2, 17));
  for (const domain of graph.domains()) model.message(8, new ProtoWriter().string(1, domain).int(2, 1));
  return model.finish();
}

function typeOf(data: TensorData): number {
  if (data instanceof Int8Array) return INT8;
  if (data instanceof Uint8Array) return UINT8;
  return data instanceof Float32Array ? FLOAT : data instanceof Float64Array ? DOUBLE : INT64;
}

function encodeNode(node: GraphNode, name: string): ProtoWriter {
  const n = new ProtoWriter();
  for (const i of node.inputs) n.string(1, i);
  for (const o of node.outputs) n.string(2, o);
  n.string(3, name).string(4, node.op);
  for (const [key, value] of Object.entries(node.attrs)) n.message(5, attribute(key, value));
  if (node.domain) n.string(7, node.domain);
  return n;
}

function attribute(name: string, value: Attr): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if ('i' in value) return a.int(3, value.i).int(20, 2);
  if ('f' in value) return a.float(2, value.f).int(20, 1);
  if ('s' in value) return a.string(4, value.s).int(20, 3);
  if ('t' in value) return a.message(5, tensorProto('', value.t, [value.t.length])).int(20, 4);
  if ('ints' in value) {
    for (const v of value.ints) a.int(8, v);
    return a.int(20, 7);
  }
  return a.message(6, value.g.encode()).int(20, 5);
}

function tensorProto(name: string, data: TensorData, dims: number[]): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  t.int(2, typeOf(data)).string(8, name);
  // raw_data is little-endian, as typed arrays are on every platform Node runs on
  return t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function valueInfo(name: string, elemType: number, dims: Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}
