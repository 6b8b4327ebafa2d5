/**
 * ListResources (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html; docs/architecture.md#request-path "ListResources lists what the project really
 * owns"): the ARNs of the resources CreateProject made for the project — its three IAM role policies.
 * startrail provisions no repositories or stacks, so there is nothing else to list.
 */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { onProject, recordProject, requireProject } from './access.ts';
import { page } from './pagination.ts';

export const resources = {
  ListResources: {
    readOnly: true,
    authorize: onProject('projectId'),
    async handler(input, ctx): Promise<Output<'ListResources'>> {
      const p = await requireProject(ctx, input.projectId);
      const r = await page(input, 'resources', p.id, (after, limit) => ctx.store.projects.listResources(p.id, after, limit));
      return { resources: r.items.map((x) => ({ id: x.arn })), ...(r.nextToken ? { nextToken: r.nextToken } : {}) };
    },
    resources: recordProject('projectId'),
  },
} satisfies OperationDefs<Ops, 'ListResources'>;
