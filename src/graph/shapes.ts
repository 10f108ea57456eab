// Shape and element-type inference for the ops kd's graphs use. Dimensions are numbers, symbolic
// names ('batch'), or '?' when unknown; what autodiff needs is the rank and which axes are 1
// (broadcast), and those are always known here.
import type { Attr, GraphNode, ValueInfo } from './onnxGraph.js';

export type Shape = Array<number | string>;
type Info = (name: string) => ValueInfo | undefined;
type Ints = (name: string) => number[] | undefined;

const INT64 = 7;
const BOOL = 9;
const UNARY = new Set([
  'Relu',
  'Neg',
  'Exp',
  'Log',
  'Sqrt',
  'Identity',
  'Softmax',
  'LogSoftmax',
  'Not',
  'Abs',
  'Tanh',
  'Sigmoid',
  'Erf',
]);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min']);
const COMPARE = new Set(['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or']);

/** numpy broadcasting of two shapes */
export function broadcast(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : typeof x === 'number' ? x : y);
  }
  return out;
}

const axisOf = (attrs: Record<string, Attr>, rank: number, fallback: number) => {
  const a = attrs.axis && 'i' in attrs.axis ? attrs.axis.i : fallback;
  return a < 0 ? a + rank : a;
};

export function inferShapes(node: GraphNode, info: Info, ints: Ints): Array<ValueInfo | undefined> {
  const x = info(node.inputs[0]);
  const same = (type = x?.type ?? 1) => (x ? { type, shape: [...x.shape] } : undefined);
  const op = node.op;
  if (UNARY.has(op)) return [same()];
  if (op === 'Cast') return [same((node.attrs.to as { i: number }).i)];
  if (BINARY.has(op) || COMPARE.has(op)) {
    const y = info(node.inputs[1]);
    return [x && y ? { type: COMPARE.has(op) ? BOOL : x.type, shape: broadcast(x.shape, y.shape) } : undefined];
  }
  if (op === 'Where') {
    const [c, a, b] = node.inputs.map(info);
    return [c && a && b ? { type: a.type, shape: broadcast(c.shape, broadcast(a.shape, b.shape)) } : undefined];
  }
  if (op === 'Dropout') return [same(), same(BOOL)];
  if (op === 'LayerNormalization') {
    // Mean and InvStdDev have the type stash_type names (default float), not x's
    const stash = (node.attrs.stash_type as { i: number } | undefined)?.i ?? 1;
    const stats = x ? { type: stash, shape: [...x.shape.slice(0, -1), 1] } : undefined;
    return [same(), stats, stats];
  }
  if (!x) return node.outputs.map(() => undefined);
  const r = x.shape.length;
  switch (op) {
    case 'MatMul': {
      const y = info(node.inputs[1])!;
      const a = r === 1 ? [1, x.shape[0]] : x.shape;
      const b = y.shape.length === 1 ? [y.shape[0], 1] : y.shape;
      const batch = broadcast(a.slice(0, -2), b.slice(0, -2));
      const shape = [
        ...batch,
        ...(r === 1 ? [] : [a[a.length - 2]]),
        ...(y.shape.length === 1 ? [] : [b[b.length - 1]]),
      ];
      return [{ type: x.type, shape }];
    }
    case 'Transpose': {
      const perm = (node.attrs.perm as { ints: number[] } | undefined)?.ints ?? [...x.shape.keys()].reverse();
      return [{ type: x.type, shape: perm.map((p) => x.shape[p]) }];
    }
    case 'Reshape': {
      const target = ints(node.inputs[1]);
      if (!target) return [{ type: x.type, shape: new Array(info(node.inputs[1])?.shape[0] as number).fill('?') }];
      return [{ type: x.type, shape: target.map((t, i) => (t === 0 ? x.shape[i] : t === -1 ? '?' : t)) }];
    }
    case 'Unsqueeze': {
      const axes = ints(node.inputs[1])!
        .map((a) => (a < 0 ? a + r + ints(node.inputs[1])!.length : a))
        .sort((p, q) => p - q);
      const shape = [...x.shape];
      for (const a of axes) shape.splice(a, 0, 1);
      return [{ type: x.type, shape }];
    }
    case 'Squeeze': {
      const axes = new Set(ints(node.inputs[1])!.map((a) => (a < 0 ? a + r : a)));
      return [{ type: x.type, shape: x.shape.filter((_, i) => !axes.has(i)) }];
    }
    case 'ReduceSum':
    case 'ReduceMean':
    case 'ReduceMax': {
      const list =
        op === 'ReduceSum' ? ints(node.inputs[1]) : (node.attrs.axes as { ints: number[] } | undefined)?.ints;
      const axes = new Set((list ?? [...x.shape.keys()]).map((a) => (a < 0 ? a + r : a)));
      const keep = !node.attrs.keepdims || (node.attrs.keepdims as { i: number }).i === 1;
      const shape = keep ? x.shape.map((d, i) => (axes.has(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.has(i));
      return [{ type: x.type, shape }];
    }
    case 'Gather': {
      const idx = info(node.inputs[1])!;
      const axis = axisOf(node.attrs, r, 0);
      return [{ type: x.type, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
    }
    case 'GatherElements':
      return [{ type: x.type, shape: [...info(node.inputs[1])!.shape] }];
    case 'ScatterND':
    case 'ScatterElements':
      return [same()];
    case 'Concat': {
      const axis = axisOf(node.attrs, r, 0);
      const dims = node.inputs.map((n) => info(n)!.shape[axis]);
      const total = dims.every((d) => typeof d === 'number') ? (dims as number[]).reduce((p, q) => p + q, 0) : '?';
      return [{ type: x.type, shape: x.shape.map((d, i) => (i === axis ? total : d)) }];
    }
    case 'Shape':
      return [{ type: INT64, shape: [r] }];
    case 'Size':
      return [{ type: INT64, shape: [] }];
    case 'Slice':
      return [{ type: x.type, shape: x.shape.map(() => '?') }];
    case 'Sum':
      return [{ type: x.type, shape: node.inputs.map((n) => info(n)!.shape).reduce(broadcast) }];
    case 'Expand':
      return [
        {
          type: x.type,
          shape: broadcast(
            x.shape,
            ints(node.inputs[1]) ?? new Array(info(node.inputs[1])!.shape[0] as number).fill('?'),
          ),
        },
      ];
    case 'ConstantOfShape': {
      const value = (node.attrs.value as { t: Float32Array | Float64Array } | undefined)?.t;
      return [
        {
          type: value instanceof Float64Array ? 11 : 1,
          shape: ints(node.inputs[0]) ?? new Array(x.shape[0] as number).fill('?'),
        },
      ];
    }
    case 'Range':
      return [{ type: x.type, shape: ['?'] }];
    case 'OneHot':
      return [{ type: info(node.inputs[2])!.type, shape: [...x.shape, ints(node.inputs[1])?.[0] ?? '?'] }];
    default:
      return node.outputs.map(() => undefined);
  }
}
