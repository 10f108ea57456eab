// Dynamic int8 quantization of a built inference graph, in the ONNX pattern onnxruntime's
// quantize_dynamic writes and transformers.js' *_quantized.onnx files hold (standard ops only, so
// every runtime that loads the fp32 file loads this one):
//   MatMul(x, W)  ->  DynamicQuantizeLinear(x) -> (xq uint8, xs, xz)
//                     MatMulInteger(xq, Wq int8, xz, Wz) -> Cast(float) -> Mul(·, Mul(xs, Ws))
// onnxruntime's CPU optimiser fuses this chain (with the bias Add after it) into its
// MatMulIntegerToFloat / DynamicQuantizeMatMul kernels, so the file need not name com.microsoft ops.
// One DynamicQuantizeLinear per activation and graph: q, k and v read the same quantized input.
// Handled: a MatMul whose B is a 2-D float initializer (every linear layer); a MatMul whose B is
// Transpose(initializer) (the tied output projection: the int8 table is transposed, once, when
// onnxruntime folds constants); and Gather from a 2-D float initializer (embeddings, the sinusoid
// table, n-gram buckets), stored in int8 and scaled after the lookup. The tied embedding and
// projection share one int8 table. Initializers nothing reads any more are dropped.
// (kd's builders write no Gemm; attention's activation x activation products stay in float.)
import { FLOAT, type GraphNode, type OnnxGraph } from '../graph/onnxGraph.js';
import { quantizeInt8 } from './int8Weights.js';

export interface QuantizeOptions {
  /** a scale per output column of each MatMul weight and per row of each table (default true); false: one per tensor */
  perChannel?: boolean;
  /** also store Gather tables in int8 (default true) */
  gathers?: boolean;
}

export interface QuantizeSummary {
  matMuls: number;
  gathers: number;
}

interface QuantWeight {
  q: string;
  scale: string;
  zero: string;
}

export function quantizeGraph(root: OnnxGraph, opts: QuantizeOptions = {}): QuantizeSummary {
  const perChannel = opts.perChannel ?? true;
  const graphs = allGraphs(root);
  const producer = new Map<string, GraphNode>();
  const uses = new Map<string, number>();
  for (const g of graphs) {
    for (const n of g.nodes) {
      n.outputs.forEach((o) => producer.set(o, n));
      n.inputs.forEach((i) => uses.set(i, (uses.get(i) ?? 0) + 1));
    }
    g.outputList().forEach((o) => uses.set(o.name, (uses.get(o.name) ?? 0) + 1));
  }
  const floatMatrix = (name: string) => {
    const t = root.initializerData(name);
    return t && t.data instanceof Float32Array && t.dims.length === 2 ? t : undefined;
  };
  let counter = 0;
  const fresh = (what: string) => `quant/${what}_${counter++}`;
  // weights quantized once per (initializer, channel axis), shared by every graph and branch
  const quantized = new Map<string, QuantWeight>();
  const weight = (name: string, axis: 0 | 1): QuantWeight => {
    const key = `${name}@${perChannel ? axis : 't'}`;
    let w = quantized.get(key);
    if (!w) {
      const { data, dims } = floatMatrix(name)!;
      const t = quantizeInt8(data as Float32Array, dims[0], dims[1], perChannel ? axis : null);
      w = {
        q: root.initializer(`${name}_quantized${perChannel ? `_axis${axis}` : ''}`, t.data, dims),
        scale: root.initializer(`${name}_scale${perChannel ? `_axis${axis}` : ''}`, t.scales, t.scaleDims),
        zero: root.initializer(
          `${name}_zero_point${perChannel ? `_axis${axis}` : ''}`,
          new Int8Array(t.scales.length),
          t.scaleDims,
        ),
      };
      quantized.set(key, w);
    }
    return w;
  };
  const summary: QuantizeSummary = { matMuls: 0, gathers: 0 };

  for (const g of graphs) {
    const activations = new Map<string, [string, string, string]>(); // x -> its DynamicQuantizeLinear outputs, in this graph
    const out: GraphNode[] = [];
    const emit = (op: string, inputs: string[], outputs: string[], attrs: GraphNode['attrs'] = {}) => {
      out.push({ op, inputs, outputs, attrs });
      return outputs[0];
    };
    // a transpose of an initializer that only the projection reads is replaced by one of its int8 table
    const transposed = (name: string) => {
      const t = producer.get(name);
      const perm = t?.attrs.perm;
      return t &&
        t.op === 'Transpose' &&
        uses.get(name) === 1 &&
        perm &&
        'ints' in perm &&
        perm.ints.join() === '1,0' &&
        floatMatrix(t.inputs[0])
        ? t
        : undefined;
    };
    const dropped = new Set(
      g.nodes
        .filter((n) => n.op === 'MatMul')
        .map((n) => transposed(n.inputs[1]))
        .filter((t) => t !== undefined),
    );
    for (const node of g.nodes) {
      if (dropped.has(node)) continue;
      if (node.op === 'MatMul' && (floatMatrix(node.inputs[1]) || transposed(node.inputs[1]))) {
        const [x, b] = node.inputs;
        const viaTranspose = transposed(b);
        // W [K, N]: per column (axis 1); the tied table E [N, K] (B = E^T): per row of E, the same channels
        const w = viaTranspose ? weight(viaTranspose.inputs[0], 0) : weight(b, 1);
        const bq = viaTranspose ? emit('Transpose', [w.q], [fresh('transposed')], { perm: { ints: [1, 0] } }) : w.q;
        let xq = activations.get(x);
        if (!xq) {
          xq = [fresh('x'), fresh('x_scale'), fresh('x_zero_point')];
          emit('DynamicQuantizeLinear', [x], xq);
          activations.set(x, xq);
        }
        const product = emit('MatMulInteger', [xq[0], bq, xq[2], w.zero], [fresh('matmul_int32')]);
        const asFloat = emit('Cast', [product], [fresh('matmul_float')], { to: { i: FLOAT } });
        const scale = emit('Mul', [xq[1], w.scale], [fresh('scale')]);
        emit('Mul', [asFloat, scale], node.outputs);
        summary.matMuls++;
      } else if (
        node.op === 'Gather' &&
        opts.gathers !== false &&
        floatMatrix(node.inputs[0]) &&
        gatherAxis(node) === 0
      ) {
        const [table, ids] = node.inputs;
        const w = weight(table, 0);
        const rows = emit('Cast', [emit('Gather', [w.q, ids], [fresh('rows_int8')])], [fresh('rows_float')], {
          to: { i: FLOAT },
        });
        // per row: each looked-up row times its own scale
        const scale = perChannel
          ? emit(
              'Unsqueeze',
              [emit('Gather', [w.scale, ids], [fresh('row_scale')]), root.ints([-1])],
              [fresh('row_scale')],
            )
          : w.scale;
        emit('Mul', [rows, scale], node.outputs);
        summary.gathers++;
      } else {
        out.push(node);
      }
    }
    g.nodes.splice(0, g.nodes.length, ...out);
  }
  const read = new Set(graphs.flatMap((g) => g.nodes.flatMap((n) => n.inputs)));
  root.dropInitializers((name) => read.has(name));
  return summary;
}

const gatherAxis = (n: GraphNode) => (n.attrs.axis && 'i' in n.attrs.axis ? n.attrs.axis.i : 0);

/** The graph and every branch inside it (If's then/else), depth first. */
function allGraphs(g: OnnxGraph): OnnxGraph[] {
  const subs = g.nodes.flatMap((n) => Object.values(n.attrs).flatMap((a) => ('g' in a ? allGraphs(a.g) : [])));
  return [g, ...subs];
}
