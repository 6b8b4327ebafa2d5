/**
 * Type-level tests of the service contracts (checked by `npm run typecheck`, never run): each
 * `@ts-expect-error` marks a deliberate mistake the generated types must reject. If one of them stops
 * being an error, the directive itself fails the typecheck.
 */
import { modelErrors } from '../errors/model-errors.ts';
import { ERRORS as CODESTAR_ERRORS, type Operations as CodeStar, type Output } from './codestar/model.generated.ts';
import type { Output as IamOutput } from './iam/model.generated.ts';
import type { Operations as S3, Output as S3Output } from './s3/model.generated.ts';
import type { OperationContext, OperationDefs } from './types.ts';

const when = new Date(0);

// A correct definition: input typed from the model, output checked against it.
export const correct = {
  DescribeProject: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'DescribeProject'>> {
      return { name: input.id, id: input.id, arn: `arn:aws:codestar:${ctx.region}:${ctx.accountId}:project/${input.id}`, createdTimeStamp: when };
    },
  },
} satisfies OperationDefs<CodeStar, 'DescribeProject'>;

export const mistakes = {
  DescribeProject: {
    readOnly: true,
    async handler(input): Promise<Output<'DescribeProject'>> {
      return {
        name: input.id,
        id: input.id,
        arn: 'arn',
        // @ts-expect-error a misspelt optional output member (createdTimeStamp)
        createdTimestamp: when,
      };
    },
  },
  ListProjects: {
    readOnly: true,
    async handler(): Promise<Output<'ListProjects'>> {
      // @ts-expect-error a missing required output member (projects)
      return { nextToken: 'x' };
    },
  },
  UpdateProject: {
    readOnly: false,
    async handler(input): Promise<Output<'UpdateProject'>> {
      // @ts-expect-error an input member the model does not have (projectId; UpdateProject names the project by id)
      void input.projectId;
      return {};
    },
  },
  DeleteProject: {
    readOnly: false,
    async handler(input): Promise<Output<'DeleteProject'>> {
      // @ts-expect-error a member of the wrong type (deleteStack is a boolean)
      const s: string = input.deleteStack;
      void s;
      return {};
    },
  },
  UpdateTeamMember: {
    readOnly: false,
    // @ts-expect-error the handler's return type is the operation's output, not another's
    async handler(): Promise<Output<'ListProjects'>> {
      return { projects: [] };
    },
  },
} satisfies OperationDefs<CodeStar, 'DescribeProject' | 'ListProjects' | 'UpdateProject' | 'DeleteProject' | 'UpdateTeamMember'>;

export const unknownOperation = {
  DescribeProject: correct.DescribeProject,
  // @ts-expect-error an operation the model does not have
  DescribeProjects: correct.DescribeProject,
} satisfies OperationDefs<CodeStar, 'DescribeProject'>;

// Even without a declared return type, a missing required member is caught.
export const unannotated = {
  CreateProject: {
    readOnly: false,
    // @ts-expect-error CreateProject's output needs arn
    handler: async (input) => ({ id: input.id }),
  },
} satisfies OperationDefs<CodeStar, 'CreateProject'>;

// Enums are string-literal unions; timestamps are Dates.
export const s3 = {
  HeadBucket: { readOnly: true, handler: async () => ({}) },
  GetObjectTagging: {
    readOnly: true,
    async handler(): Promise<S3Output<'GetObjectTagging'>> {
      return { TagSet: [] };
    },
  },
} satisfies OperationDefs<S3, 'HeadBucket' | 'GetObjectTagging'>;

export const wrongEnum: S3Output<'ListParts'> = {
  // @ts-expect-error not a StorageClass
  StorageClass: 'CHEAP',
};

export const wrongTimestamp: IamOutput<'GetUser'> = {
  // @ts-expect-error CreateDate is a Date, not its text
  User: { UserId: 'AIDA', Arn: 'arn', CreateDate: '2026-01-01T00:00:00Z' },
};

// The error factory takes only the service's modelled codes.
const codestarError = modelErrors(CODESTAR_ERRORS);
export const modelled = () => codestarError('ProjectNotFoundException', 'x');
// @ts-expect-error not an error of the CodeStar model (IAM's)
export const notModelled = () => codestarError('NoSuchEntity', 'x');

// Calls on the caller's behalf are typed by the callee's model.
export async function invokes(ctx: OperationContext): Promise<void> {
  await ctx.invoke('iam', 'DeletePolicy', { PolicyArn: 'arn:aws:iam::000000000000:policy/p' }, 'codestar.amazonaws.com');
  // @ts-expect-error IAM has no such operation
  await ctx.invoke('iam', 'DeletePolicies', { PolicyArn: 'arn' }, 'codestar.amazonaws.com');
  // @ts-expect-error DeletePolicy needs PolicyArn
  await ctx.invoke('iam', 'DeletePolicy', { PolicyName: 'p' }, 'codestar.amazonaws.com');
}
