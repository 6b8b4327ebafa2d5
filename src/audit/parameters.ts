/**
 * requestParameters / responseElements as CloudTrail writes them (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html): members in lowerCamel — AWS's records use the Java member names for every service,
 * CloudTrail's own too (`trailName`, `eventSelectors`; the wire says `TrailName`), and for CodeStar
 * they are the wire names already; model-`sensitive` values as HIDDEN_DUE_TO_SECURITY_REASONS;
 * secrets dropped outright; timestamps as Java's medium date ("Aug 1, 2024 1:33:28 PM").
 */
import type { ServiceModel } from '../protocol/model.ts';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export interface RecordStyle {
  /**
   * IAM writes "Aug 1, 2024 1:33:28 PM"; STS and newer services "Jul 30, 2024, 9:46:15 PM"
   * (a comma after the year: the newer JDK's format).
   */
  commaAfterYear: boolean;
  /** member names (lowerCamel) whose values never appear, not even redacted: secretAccessKey */
  omit?: Set<string>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function javaDate(d: Date, commaAfterYear = false): string {
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}${commaAfterYear ? ',' : ''} ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const lowerCamel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function toRecordValue(model: ServiceModel, shapeName: string | undefined, value: unknown, style: RecordStyle): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (shape?.sensitive) return HIDDEN;
  if (value instanceof Date) return javaDate(value, style.commaAfterYear);
  if (Buffer.isBuffer(value)) return HIDDEN;
  if (!shape) return value;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const key = lowerCamel(name);
        if (style.omit?.has(key)) continue;
        const v = toRecordValue(model, ref.shape, (value as Record<string, unknown>)[name], style);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => toRecordValue(model, shape.member!.shape, v, style));
    case 'map': {
      // map keys are data (tag keys …), kept as sent
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toRecordValue(model, shape.value!.shape, v, style);
      return out;
    }
    default:
      return value;
  }
}

/**
 * The record form a protocol's decoder attached to an input, recorded as it is (REST-XML: S3 records
 * the request as sent, not the model's members; see protocol/rest-xml/record.ts).
 */
const RECORD_FORM = Symbol.for('startrail.recordForm');

/** An object, or null when there is nothing to record (no input/output members). */
export function recordObject(model: ServiceModel, shapeName: string | undefined, value: unknown, style: RecordStyle): Record<string, unknown> | null {
  const own = (value as { [RECORD_FORM]?: Record<string, unknown> } | null | undefined)?.[RECORD_FORM];
  if (own) return Object.keys(own).length ? own : null;
  const v = toRecordValue(model, shapeName, value, style) as Record<string, unknown> | undefined;
  return v && Object.keys(v).length ? v : null;
}
