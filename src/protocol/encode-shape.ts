/**
 * Handler output walked along its output shape, as the JSON-bodied protocols encode it (AWS JSON 1.0 / 1.1 and
 * Smithy RPC v2 CBOR): structures keep the members the shape names and drop absent ones, lists and maps are
 * walked member by member, and each protocol spells the two leaves that differ — timestamps and blobs — its own
 * way (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html, https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html).
 */
import type { ServiceModel } from './model.ts';

export function encodeByShape(model: ServiceModel, shapeName: string | undefined, value: unknown, leaf: (v: Date | Buffer) => unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date || Buffer.isBuffer(value)) return leaf(value);
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (!shape) return value;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = encodeByShape(model, ref.shape, (value as Record<string, unknown>)[name], leaf);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => encodeByShape(model, shape.member!.shape, v, leaf));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = encodeByShape(model, shape.value!.shape, v, leaf);
      return out;
    }
    default:
      return value;
  }
}
