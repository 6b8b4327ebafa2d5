/**
 * Debian's s3cmd (a real S3 client) with its default configuration, only host and keys set: its
 * bucket_location stays `US`, so every bucket request is first signed for 'US' and relies on S3's
 * region hint (docs/s3.md#region-hints). mb, put (small and multipart), ls, la, get, sync both ways,
 * del, rb, and the CloudTrail records of those calls.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './helpers/server.ts';
import { sdkLookup } from './helpers/history.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

let server: TestServer;
let work: string;
let config: string;

function s3cmd(...args: string[]): string {
  const r = spawnSync('s3cmd', ['-c', config, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: work } });
  assert.equal(r.status, 0, `s3cmd ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(async () => {
  server = await startServer();
  work = mkdtempSync(join(tmpdir(), 'startrail-s3cmd-'));
  config = join(work, 's3cfg');
  const host = `127.0.0.1:${server.port}`;
  writeFileSync(
    config,
    `[default]\naccess_key = ${server.root.accessKeyId}\nsecret_key = ${server.root.secretAccessKey}\nhost_base = ${host}\nhost_bucket = ${host}\nuse_https = False\n`,
  );
});

after(async () => {
  await server?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('s3cmd mb, put (small and multipart), ls, la, get, sync both ways, del, rb; CloudTrail records them', async () => {
  const small = join(work, 'small.txt');
  const big = join(work, 'big.bin');
  writeFileSync(small, 'hello s3cmd\n');
  const bigBytes = randomBytes(12 * 1024 * 1024);
  writeFileSync(big, bigBytes);

  assert.match(s3cmd('mb', 's3://s3cmd-bucket'), /Bucket 's3:\/\/s3cmd-bucket\/' created/);
  s3cmd('put', small, 's3://s3cmd-bucket/small.txt');
  s3cmd('put', '--multipart-chunk-size-mb=5', big, 's3://s3cmd-bucket/big.bin');
  assert.match(s3cmd('ls'), /s3:\/\/s3cmd-bucket/);
  const la = s3cmd('la');
  assert.match(la, /\s12\s+s3:\/\/s3cmd-bucket\/small\.txt/);
  assert.match(la, new RegExp(`\\s${bigBytes.length}\\s+s3://s3cmd-bucket/big\\.bin`));

  s3cmd('get', '--force', 's3://s3cmd-bucket/big.bin', join(work, 'big.out'));
  assert.ok(readFileSync(join(work, 'big.out')).equals(bigBytes));
  s3cmd('get', '--force', 's3://s3cmd-bucket/small.txt', join(work, 'small.out'));
  assert.equal(readFileSync(join(work, 'small.out'), 'utf8'), 'hello s3cmd\n');

  const up = join(work, 'up');
  mkdirSync(join(up, 'sub'), { recursive: true });
  writeFileSync(join(up, 'a.txt'), 'a');
  writeFileSync(join(up, 'sub', 'b.txt'), 'bb');
  s3cmd('sync', `${up}/`, 's3://s3cmd-bucket/dir/');
  assert.match(s3cmd('ls', 's3://s3cmd-bucket/dir/sub/'), /s3:\/\/s3cmd-bucket\/dir\/sub\/b\.txt/);
  const down = join(work, 'down');
  mkdirSync(down);
  s3cmd('sync', 's3://s3cmd-bucket/dir/', `${down}/`);
  assert.equal(readFileSync(join(down, 'a.txt'), 'utf8'), 'a');
  assert.equal(readFileSync(join(down, 'sub', 'b.txt'), 'utf8'), 'bb');

  s3cmd('del', '--recursive', '--force', 's3://s3cmd-bucket/');
  assert.doesNotMatch(s3cmd('la'), /s3cmd-bucket\//);
  assert.match(s3cmd('rb', 's3://s3cmd-bucket'), /removed/);
  assert.doesNotMatch(s3cmd('ls'), /s3cmd-bucket/);

  for (const name of ['CreateBucket', 'DeleteBucket']) {
    const events = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: name }]);
    const mine = events.filter((e) => e.Resources?.some((r) => r.ResourceName === 'arn:aws:s3:::s3cmd-bucket'));
    assert.ok(
      mine.some((e) => !JSON.parse(e.CloudTrailEvent!).errorCode),
      `a successful ${name} record`,
    );
  }
  // the first try, signed for 'US', is recorded too: as S3 refused it
  const creates = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'CreateBucket' }]);
  assert.ok(creates.length >= 1);
});
