/** Multipart rules as pure functions: part choice and its refusals, the multipart ETag, composite checksums, upload ids. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { chooseParts, compositeChecksum, MIN_PART_SIZE, multipartEtag, newUploadId } from './multipart.ts';
import { UPLOAD_ID } from './files.ts';
import type { PartInfo } from './types.ts';

const T = new Date('2026-11-24T10:00:00Z');
const part = (partNumber: number, size: number, bytes = String(partNumber), checksum?: PartInfo['checksum']): PartInfo => ({
  partNumber,
  size,
  etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
  lastModified: T,
  ...(checksum ? { checksum } : {}),
});
const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

test('chooseParts: ascending, as uploaded (quoted or bare ETags), 5 MiB for every part but the last', () => {
  const stored = new Map([
    [1, part(1, MIN_PART_SIZE)],
    [2, part(2, MIN_PART_SIZE - 1)],
    [3, part(3, 1)],
  ]);
  assert.deepEqual(
    chooseParts(
      'b',
      [
        { partNumber: 1, etag: stored.get(1)!.etag },
        { partNumber: 3, etag: stored.get(3)!.etag.replace(/"/g, '') },
      ],
      stored,
    ).map((p) => p.partNumber),
    [1, 3],
  );
  assert.equal(
    code(() =>
      chooseParts(
        'b',
        [
          { partNumber: 3, etag: stored.get(3)!.etag },
          { partNumber: 1, etag: stored.get(1)!.etag },
        ],
        stored,
      ),
    ),
    'InvalidPartOrder',
  );
  assert.equal(
    code(() => chooseParts('b', [{ partNumber: 1, etag: '"0"' }], stored)),
    'InvalidPart',
  );
  assert.equal(
    code(() => chooseParts('b', [{ partNumber: 1, etag: stored.get(1)!.etag, checksum: { algorithm: 'CRC32', value: 'AAAAAA==' } }], stored)),
    'InvalidPart',
  );
  assert.equal(
    code(() =>
      chooseParts(
        'b',
        [
          { partNumber: 2, etag: stored.get(2)!.etag },
          { partNumber: 3, etag: stored.get(3)!.etag },
        ],
        stored,
      ),
    ),
    'EntityTooSmall',
  );
  assert.equal(
    code(() => chooseParts('b', [{ partNumber: 2, etag: stored.get(2)!.etag }], stored)),
    'ok',
    'the last part may be small',
  );
});

test('multipartEtag: MD5 of the concatenated binary part MD5s, then -N', () => {
  const parts = [part(1, 1, 'a'), part(2, 1, 'b')];
  const md5 = (s: string) => createHash('md5').update(s).digest();
  assert.equal(
    multipartEtag(parts),
    `"${createHash('md5')
      .update(Buffer.concat([md5('a'), md5('b')]))
      .digest('hex')}-2"`,
  );
});

test("compositeChecksum: of the decoded part checksums, -N; only when every part has the upload's algorithm", () => {
  const sha = (s: string) => createHash('sha256').update(s).digest();
  const parts = [
    part(1, 1, 'a', { algorithm: 'SHA256', value: sha('a').toString('base64') }),
    part(2, 1, 'b', { algorithm: 'SHA256', value: sha('b').toString('base64') }),
  ];
  assert.deepEqual(compositeChecksum('SHA256', parts), {
    algorithm: 'SHA256',
    value: `${createHash('sha256')
      .update(Buffer.concat([sha('a'), sha('b')]))
      .digest('base64')}-2`,
  });
  assert.equal(compositeChecksum(undefined, parts), undefined);
  assert.equal(compositeChecksum('SHA256', [...parts, part(3, 1)]), undefined);
  // CRC32 of the 4-byte part CRCs: crc32("\x00\x00\x00\x00") = 0x2144df1c
  assert.deepEqual(compositeChecksum('CRC32', [part(1, 1, 'a', { algorithm: 'CRC32', value: 'AAAAAA==' })]), { algorithm: 'CRC32', value: 'IUTfHA==-1' });
});

test('upload ids: safe file names, ordered by initiation', () => {
  const a = newUploadId(new Date('2026-11-24T10:00:00Z'));
  const b = newUploadId(new Date('2026-11-24T10:00:01Z'));
  assert.match(a, UPLOAD_ID);
  assert.ok(a < b);
});
