/**
 * clientRequestToken (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html: CreateProject, DeleteProject, AssociateTeamMember "can be
 * used to repeat the request"): the same token with the same input returns the original result and changes
 * nothing; the same token with different input is refused. Stored as (operation, token, input hash, result).
 */
import { createHash } from 'node:crypto';
import type { OperationContext } from '../types.ts';
import { tokenReused } from './errors.ts';

/** JSON with object keys sorted, so member order on the wire does not change the hash. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const hashOf = (input: { clientRequestToken?: string }) => {
  const { clientRequestToken: _, ...rest } = input;
  return createHash('sha256').update(canonical(rest)).digest('hex');
};

/**
 * Runs `fn` once per token: a repeat with the same input gets the stored result without running `fn`
 * again. Calls without a token always run.
 */
export async function once<O extends object>(
  ctx: OperationContext,
  operation: string,
  input: { clientRequestToken?: string },
  fn: () => Promise<O>,
): Promise<O> {
  const token = input.clientRequestToken;
  if (token === undefined) return fn();
  const inputHash = hashOf(input);
  const earlier = await ctx.store.projects.getCall(operation, token);
  if (earlier) {
    if (earlier.inputHash !== inputHash) throw tokenReused(operation, token);
    return JSON.parse(earlier.result) as O;
  }
  const result = await fn();
  await ctx.store.projects.putCall({ operation, token, inputHash, result: JSON.stringify(result), createdAt: ctx.now });
  return result;
}
