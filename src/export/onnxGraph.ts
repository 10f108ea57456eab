// Builds ONNX graphs (opset 17) node by node and serialises them (ONNX's protobuf schema,
// onnx/onnx.proto: the field numbers below are that file's).
import { ProtoWriter } from './protobuf.js';

export const FLOAT = 1;
export const INT64 = 7;
export const BOOL = 9;

export type Dim = number | string; // a size, or a symbolic name
export type Attr = { i: number } | { f: number } | { ints: number[] } | { g: OnnxGraph };
type TensorData = Float32Array | BigInt64Array;

export class OnnxGraph {
  private nodes: ProtoWriter[] = [];
  private inits: ProtoWriter[] = [];
  private inputs: ProtoWriter[] = [];
  private outputs: ProtoWriter[] = [];
  private counter = 0;
  private consts = new Map<string, string>();

  /** prefix keeps value names unique when several graphs (If branches) share one model */
  constructor(readonly name: string, private readonly prefix = '', private readonly parent?: OnnxGraph) {}

  input(name: string, elemType: number, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: number, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  initializer(name: string, data: TensorData, dims: number[]): string {
    // branches keep their constants in the outermost graph, where every branch can see them
    if (this.parent) return this.parent.initializer(name, data, dims);
    this.inits.push(tensorProto(name, data, dims));
    return name;
  }

  /** An int64 constant (a vector, or a scalar), created once per distinct value. */
  ints(values: number[], scalar = false): string {
    return this.constant(`${scalar ? 's' : 'v'}${values.join(',')}`, BigInt64Array.from(values.map(BigInt)), scalar ? [] : [values.length]);
  }

  floatScalar(value: number): string {
    return this.constant(`f${value}`, Float32Array.of(value), []);
  }

  /** Constants live in the outermost graph, one initializer per distinct key. */
  private constant(key: string, data: TensorData, dims: number[]): string {
    const root = this.root();
    let name = root.consts.get(key);
    if (!name) {
      name = root.initializer(`const_${root.consts.size}`, data, dims);
      root.consts.set(key, name);
    }
    return name;
  }

  private root(): OnnxGraph {
    return this.parent ? this.parent.root() : this;
  }

  /** Adds a node; returns its output names (fresh ones unless given). */
  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs: number | string[] = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => `${this.prefix}${op}_${this.counter++}`) : outputs;
    const n = new ProtoWriter();
    for (const i of inputs) n.string(1, i);
    for (const o of outs) n.string(2, o);
    n.string(3, `${this.prefix}${op}_n${this.counter++}`).string(4, op);
    for (const [key, value] of Object.entries(attrs)) n.message(5, attribute(key, value));
    this.nodes.push(n);
    return outs;
  }

  /** One-output node. */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, output?: string): string {
    return this.node(op, inputs, attrs, output ? [output] : 1)[0];
  }

  encode(): ProtoWriter {
    const g = new ProtoWriter();
    for (const n of this.nodes) g.message(1, n);
    g.string(2, this.name);
    for (const t of this.inits) g.message(5, t);
    for (const i of this.inputs) g.message(11, i);
    for (const o of this.outputs) g.message(12, o);
    return g;
  }
}

export function modelBytes(graph: OnnxGraph, producer = 'kd'): Uint8Array {
  const opset = new ProtoWriter().string(1, '').int(2, 17);
  return new ProtoWriter().int(1, 8).string(2, producer).message(7, graph.encode()).message(8, opset).finish();
}

function attribute(name: string, value: Attr): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if ('i' in value) return a.int(3, value.i).int(20, 2);
  if ('f' in value) return a.float(2, value.f).int(20, 1);
  if ('ints' in value) {
    for (const v of value.ints) a.int(8, v);
    return a.int(20, 7);
  }
  return a.message(6, value.g.encode()).int(20, 5);
}

function tensorProto(name: string, data: TensorData, dims: number[]): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  t.int(2, data instanceof Float32Array ? FLOAT : INT64).string(8, name);
  // raw_data is little-endian, as typed arrays are on every platform Node runs on
  return t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function valueInfo(name: string, elemType: number, dims: Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}
