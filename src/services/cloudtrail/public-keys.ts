/**
 * ListPublicKeys (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html): the call's region's digest
 * keys whose validity overlaps [StartTime, EndTime] (each defaulting to now, so no arguments = the
 * current key), as {Value: DER PKCS#1 (single base64 on the wire), ValidityStartTime,
 * ValidityEndTime, Fingerprint = the digests' digestPublicKeyFingerprint}. The region's first key
 * is made on demand. NextToken is reserved: every key fits one page.
 */
import { currentSigningKey, signingKeysIn, validityEnd } from '../../delivery/signing-keys.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { invalidTimeRange, invalidToken } from './errors.ts';

export const publicKeys = {
  ListPublicKeys: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListPublicKeys'>> {
      if (input.NextToken !== undefined) throw invalidToken();
      const start: Date = input.StartTime ?? ctx.now;
      const end: Date = input.EndTime ?? ctx.now;
      if (start.getTime() > end.getTime()) throw invalidTimeRange();
      await currentSigningKey(ctx.store, ctx.region, ctx.now);
      const keys = await signingKeysIn(ctx.store, ctx.region, start, end);
      return {
        PublicKeyList: keys.map((k) => ({
          Value: k.publicKeyDer,
          ValidityStartTime: k.validFrom,
          ValidityEndTime: validityEnd(k),
          Fingerprint: k.fingerprint,
        })),
      };
    },
  },
} satisfies OperationDefs<Ops, 'ListPublicKeys'>;
