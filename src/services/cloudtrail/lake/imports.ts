/**
 * StartImport, GetImport, ListImports, StopImport (docs/lake.md#imports;
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartImport.html): copies the
 * records of trail log files (gzipped or plain `{"Records":[…]}` files, found under an S3 location of
 * this server's object store, every depth) into event data stores, optionally only those with
 * eventTime in [StartEventTime, EndEventTime]. One import of an account runs at a time
 * (AccountHasOngoingImportException); StartImport with the ImportId of a STOPPED or FAILED import
 * starts it again where it stopped. The copying runs off the request path (import-runner.ts).
 */
import type { LakeImport } from '../../../store/types.ts';
import type { OperationDefs } from '../../types.ts';
import type { CloudTrailDeps } from '../deps.ts';
import {
  accountHasOngoingImport,
  importNotFound,
  inactiveEventDataStore,
  invalidImportSource,
  invalidMaxResults,
  invalidNextToken,
  invalidParameter,
} from '../errors.ts';
import type { Operations as Ops, Output } from '../model.generated.ts';
import { findStore } from './stores.ts';

const S3_LOCATION = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(?:\/(.*))?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

/** The bucket and key prefix an S3LocationUri names. */
export function parseLocation(uri: string): { bucket: string; prefix: string } {
  const m = S3_LOCATION.exec(uri);
  if (!m) throw invalidImportSource(`S3LocationUri ${uri} is not valid: it looks like s3://bucket/prefix/.`);
  return { bucket: m[1]!, prefix: m[2] ?? '' };
}

export function importShape(i: LakeImport) {
  return {
    ImportId: i.id,
    Destinations: i.destinations,
    ImportSource: {
      S3: { S3LocationUri: i.source.s3LocationUri, S3BucketRegion: i.source.s3BucketRegion, S3BucketAccessRoleArn: i.source.s3BucketAccessRoleArn },
    },
    ...(i.startTime ? { StartEventTime: i.startTime } : {}),
    ...(i.endTime ? { EndEventTime: i.endTime } : {}),
    ImportStatus: i.status,
    CreatedTimestamp: i.createdAt,
    UpdatedTimestamp: i.updatedAt,
    ImportStatistics: {
      PrefixesFound: i.stats.prefixesFound,
      PrefixesCompleted: i.stats.prefixesCompleted,
      FilesCompleted: i.stats.filesCompleted,
      EventsCompleted: i.stats.eventsCompleted,
      FailedEntries: i.stats.failedEntries,
    },
  };
}

const ID = /^[a-f0-9-]{36}$/;

export function imports(deps: CloudTrailDeps) {
  async function ownImport(ctx: { store: import('../../../store/types.ts').Store; accountId: string; region: string }, id: unknown): Promise<LakeImport> {
    const value = String(id ?? '');
    const i = ID.test(value) ? await ctx.store.lake.getImport(value) : undefined;
    if (!i || i.accountId !== ctx.accountId || i.region !== ctx.region) throw importNotFound(value);
    return i;
  }
  return {
    StartImport: {
      readOnly: false,
      async handler(input, ctx): Promise<Output<'StartImport'>> {
        const ongoing = (await ctx.store.lake.listImports(ctx.accountId)).find((i) => i.status === 'INITIALIZING' || i.status === 'IN_PROGRESS');
        if (input.ImportId !== undefined) {
          const i = await ownImport(ctx, input.ImportId);
          if (i.status !== 'STOPPED' && i.status !== 'FAILED')
            throw invalidParameter(`Import ${i.id} is ${i.status}: only a STOPPED or FAILED import can be started again.`);
          if (ongoing) throw accountHasOngoingImport();
          await ctx.store.lake.updateImport(i.id, { status: 'INITIALIZING', updatedAt: ctx.now });
          return importShape({ ...i, status: 'INITIALIZING', updatedAt: ctx.now });
        }
        if (!input.Destinations?.length || !input.ImportSource?.S3)
          throw invalidParameter('StartImport requires Destinations and ImportSource (or the ImportId of an import to start again).');
        const destinations: string[] = [];
        for (const ref of input.Destinations) {
          const s = await findStore(ctx, ref);
          if (s.deletedAt) throw inactiveEventDataStore(s.arn);
          destinations.push(s.arn);
        }
        const src = input.ImportSource.S3;
        const { bucket } = parseLocation(src.S3LocationUri);
        if (!ROLE_ARN.test(src.S3BucketAccessRoleArn)) throw invalidParameter(`S3BucketAccessRoleArn ${src.S3BucketAccessRoleArn} is not a role ARN.`);
        const state = await deps
          .target(bucket)
          .bucket(bucket)
          .catch(() => ({ exists: false, region: undefined }));
        if (!state.exists) throw invalidImportSource(`The S3 bucket ${bucket} does not exist.`);
        if (state.region && state.region !== src.S3BucketRegion)
          throw invalidImportSource(`The S3 bucket ${bucket} is in ${state.region}, not ${src.S3BucketRegion}.`);
        if (input.StartEventTime && input.EndEventTime && input.StartEventTime.getTime() > input.EndEventTime.getTime())
          throw invalidParameter('StartEventTime must not be after EndEventTime.');
        if (ongoing) throw accountHasOngoingImport();
        const i: LakeImport = {
          id: ctx.ids.uuid(),
          accountId: ctx.accountId,
          region: ctx.region,
          destinations,
          source: { s3LocationUri: src.S3LocationUri, s3BucketRegion: src.S3BucketRegion, s3BucketAccessRoleArn: src.S3BucketAccessRoleArn },
          ...(input.StartEventTime ? { startTime: input.StartEventTime } : {}),
          ...(input.EndEventTime ? { endTime: input.EndEventTime } : {}),
          status: 'INITIALIZING',
          createdAt: ctx.now,
          updatedAt: ctx.now,
          stats: { prefixesFound: 0, prefixesCompleted: 0, filesCompleted: 0, eventsCompleted: 0, failedEntries: 0 },
        };
        await ctx.store.lake.createImport(i);
        const { ImportStatistics: _none, ...shape } = importShape(i);
        return shape;
      },
    },

    GetImport: {
      readOnly: true,
      async handler(input, ctx): Promise<Output<'GetImport'>> {
        return importShape(await ownImport(ctx, input.ImportId));
      },
    },

    ListImports: {
      readOnly: true,
      async handler(input, ctx): Promise<Output<'ListImports'>> {
        const max = input.MaxResults ?? 1000;
        if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidMaxResults(max);
        const dest = input.Destination === undefined ? undefined : (await findStore(ctx, input.Destination)).arn;
        const all = (await ctx.store.lake.listImports(ctx.accountId)).filter(
          (i) => i.region === ctx.region && (!dest || i.destinations.includes(dest)) && (!input.ImportStatus || i.status === input.ImportStatus),
        );
        let start = 0;
        if (input.NextToken !== undefined) {
          start = all.findIndex((i) => i.id === input.NextToken);
          if (start < 0) throw invalidNextToken();
        }
        const next = all[start + max];
        return {
          Imports: all.slice(start, start + max).map((i) => ({
            ImportId: i.id,
            ImportStatus: i.status,
            Destinations: i.destinations,
            CreatedTimestamp: i.createdAt,
            UpdatedTimestamp: i.updatedAt,
          })),
          ...(next ? { NextToken: next.id } : {}),
        };
      },
    },

    StopImport: {
      readOnly: false,
      async handler(input, ctx): Promise<Output<'StopImport'>> {
        const i = await ownImport(ctx, input.ImportId);
        const stopped = i.status === 'INITIALIZING' || i.status === 'IN_PROGRESS' ? 'STOPPED' : i.status;
        if (stopped !== i.status) await ctx.store.lake.updateImport(i.id, { status: stopped, updatedAt: ctx.now });
        return importShape({ ...i, status: stopped, updatedAt: ctx.now });
      },
    },
  } satisfies OperationDefs<Ops, 'StartImport' | 'GetImport' | 'ListImports' | 'StopImport'>;
}
