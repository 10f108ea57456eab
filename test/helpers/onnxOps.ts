// The operators an ONNX file holds, read straight from its protobuf (onnx.proto: ModelProto.graph
// = 7, GraphProto.node = 1 / initializer = 5, NodeProto.op_type = 4 / domain = 7 / attribute = 5,
// AttributeProto.g = 6, TensorProto.data_type = 2 / name = 8): what a test asserts about a written or an
// onnxruntime-optimised graph, subgraphs (If branches) included.
import { readFileSync } from 'node:fs';

type Field = { no: number; wire: number; value: bigint | Uint8Array };

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      yield { no, wire, value: buf.subarray(at, at + len) };
      at += len;
    } else if (wire === 5) at += 4;
    else if (wire === 1) at += 8;
    else throw new Error(`wire type ${wire}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export interface OnnxSummary {
  ops: string[];
  domains: string[];
  initializers: Array<{ name: string; type: number }>;
}

function graphSummary(g: Uint8Array, out: OnnxSummary): void {
  for (const f of fields(g)) {
    if (f.no === 5 && f.wire === 2) {
      const init = { name: '', type: 0 };
      for (const t of fields(f.value as Uint8Array)) {
        if (t.no === 2 && t.wire === 0) init.type = Number(t.value);
        if (t.no === 8) init.name = text(t.value as Uint8Array);
      }
      out.initializers.push(init);
    }
    if (f.no !== 1 || f.wire !== 2) continue;
    for (const n of fields(f.value as Uint8Array)) {
      if (n.no === 4) out.ops.push(text(n.value as Uint8Array));
      if (n.no === 7) out.domains.push(text(n.value as Uint8Array));
      if (n.no === 5)
        for (const a of fields(n.value as Uint8Array)) if (a.no === 6) graphSummary(a.value as Uint8Array, out);
    }
  }
}

/** Every node's op type (subgraphs included), the non-default domains and the initializers' names and element types. */
export function onnxSummary(file: string): OnnxSummary {
  const out: OnnxSummary = { ops: [], domains: [], initializers: [] };
  for (const f of fields(readFileSync(file))) if (f.no === 7) graphSummary(f.value as Uint8Array, out);
  return out;
}

export const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;
