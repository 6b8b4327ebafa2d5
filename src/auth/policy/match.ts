/** Statement matching: Action/NotAction, Resource/NotResource, Principal/NotPrincipal
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). */
import { expand, globMatch, tokensMatch, type KeyLookup, type Token } from './pattern.ts';
import type { PrincipalBlock, RequestContext } from './types.ts';

/** Actions: prefix and name case-insensitive (`iam:ListAccessKeys` ≡ `IAM:listaccesskeys`), `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

const allStars = (s: string) => /^\*+$/.test(s);

/**
 * Resources: case-sensitive; `*` is any run of characters and `?` one. The whole ARN is matched as one
 * pattern, so a `*` may run across `:` and `/` (RES, current page: a trailing `*` may match across `:`).
 * Variables are substituted only in the resource part, after the 5th `:` (VAR); one without a value makes
 * the pattern match nothing.
 */
export function resourceMatches(pattern: string, resource: string, action: string, lookup: KeyLookup, varsEnabled: boolean): boolean {
  if (resource === '*') return resourceLessMatch(pattern, action);
  if (!varsEnabled || !pattern.includes('${')) return globMatch(pattern, resource, false);
  const cut = fifthColon(pattern);
  if (cut < 0) return globMatch(pattern, resource, false);
  const rest = expand(pattern.slice(cut + 1), lookup, true);
  if (!rest) return false;
  const tokens: Token[] = [{ kind: 'text', text: pattern.slice(0, cut + 1) }, ...rest];
  return tokensMatch(tokens, resource);
}

/** Index of the 5th `:` outside `${...}` (a variable such as `${aws:username}` holds a colon itself), or -1. */
function fifthColon(pattern: string): number {
  let colons = 0;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('${', i)) depth++;
    else if (pattern[i] === '}' && depth > 0) depth--;
    else if (pattern[i] === ':' && depth === 0 && ++colons === 5) return i;
  }
  return -1;
}

/**
 * Actions with no resource type are evaluated with R = `*` (the Service Authorization Reference lists no resource type for them:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html). AWS's pages leave open which patterns match it
 * [conflict: the evaluation logic page grants s3:ListAllMyBuckets with `arn:aws:s3:::*`; the NotAction page says it does not].
 * Decision: `*`, and also any ARN pattern that covers every ARN of the action's service (`arn:aws:s3:::*`,
 * `arn:aws:iam::*:*`, `arn:aws:cloudtrail:*`, `arn:*`), the lenient reading. A pattern
 * that names anything particular (`arn:aws:s3:::my-bucket`, `…:trail/*`) never matches `*`, so
 * NotResource naming particular resources still applies to resource-less actions.
 */
function resourceLessMatch(pattern: string, action: string): boolean {
  if (allStars(pattern)) return true;
  const service = action.split(':')[0] ?? '';
  const parts = pattern.split(':');
  if (parts[0] !== 'arn') return false;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && allStars(p)) return true; // a trailing `*` spans the remaining segments
    if (i === 1 && p !== 'aws' && !allStars(p)) return false;
    if (i === 2 && !globMatch(p, service, true)) return false;
    if ((i === 3 || i === 4) && p !== '' && !allStars(p)) return false;
    if (i >= 5 && !allStars(p)) return false;
  }
  return false;
}

/**
 * How a Principal element names the caller (evaluation logic, identity- and resource-based policies), strongest first:
 * - `direct`: `*`, the caller's own ARN (user, exact session, federated user), a Service principal of a
 *   service caller, or the account for the root user itself;
 * - `alias`: the role ARN of a role session / the federating user's ARN — allows, limited by boundary and session policy;
 * - `account`: account id or `arn:aws:iam::ACCT:root` — delegation to the account: identity policy must allow too.
 * Federated and CanonicalUser principals never name a startrail caller.
 */
export type PrincipalNaming = 'direct' | 'alias' | 'account';

export function principalNaming(block: PrincipalBlock | '*', ctx: RequestContext): PrincipalNaming | undefined {
  if (block === '*') return 'direct';
  if (block.AWS?.includes('*')) return 'direct';
  if (ctx.servicePrincipal !== undefined) {
    const svc = ctx.servicePrincipal.toLowerCase();
    return block.Service?.some((s) => s === '*' || s.toLowerCase() === svc) ? 'direct' : undefined;
  }
  let best: PrincipalNaming | undefined;
  for (const v of block.AWS ?? []) {
    if (v === ctx.principalArn) return 'direct';
    if (ctx.principalAliases?.includes(v)) best = 'alias';
    else if (best === undefined && (v === ctx.principalAccount || v === `arn:aws:iam::${ctx.principalAccount}:root`)) {
      if (ctx.isRoot) return 'direct';
      best = 'account';
    }
  }
  return best;
}
