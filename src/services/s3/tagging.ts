/**
 * GetObjectTagging (S3 API Reference), so that `aws s3 cp`/`mv` of objects past the CLI's multipart
 * threshold work (the CLI copies the source's tags): startrail keeps no object tags, so an existing
 * object's tag set is empty. Needs s3:GetObjectTagging; a missing key is as for GetObject.
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { missingKey, objectResources, target } from './access.ts';
import { store } from './errors.ts';
import { checkKey } from './objects.ts';

export function taggingOperations(objects: ObjectStore): OperationDefs<Ops, 'GetObjectTagging'> {
  return {
    GetObjectTagging: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: target(objects, 's3:GetObjectTagging', { object: true }),
      async handler(input, ctx): Promise<Output<'GetObjectTagging'>> {
        checkKey(input.Key);
        const info = await store(objects.headObject(input.Bucket, input.Key), { bucket: input.Bucket, key: input.Key });
        if (!info) return missingKey(objects, ctx, input.Bucket, input.Key);
        return { TagSet: [] };
      },
      resources: objectResources,
    },
  };
}
