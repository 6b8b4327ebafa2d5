/**
 * responseElements of S3 calls as CloudTrail writes them
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html):
 * the response headers by their wire names (`x-amz-version-id`, `x-amz-server-side-encryption`,
 * `x-amz-delete-marker`, …; not the ETag), and of an XML body the members outside the payload; none
 * is null. Values are as the headers carry them (text).
 */
import type { ServiceModel, Shape } from '../../protocol/model.ts';

export function s3ResponseRecord(
  model: ServiceModel,
  operation: string,
  output: Record<string, unknown>,
  members: (value: Record<string, unknown>) => Record<string, unknown> | null,
): Record<string, unknown> | null {
  const shape = model.shapes[model.operations[operation]?.output ?? ''] as (Shape & { payload?: string }) | undefined;
  if (!shape?.members) return members(output);
  const headers: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    const v = output[name];
    if (v === undefined || name === shape.payload || ref.streaming) continue;
    if (ref.location === 'header' && ref.locationName && ref.locationName !== 'ETag')
      headers[ref.locationName] = v instanceof Date ? v.toISOString() : String(v);
    else if (ref.location === undefined) body[name] = v;
  }
  const out = { ...(Object.keys(body).length ? (members(body) ?? {}) : {}), ...headers };
  return Object.keys(out).length ? out : null;
}
