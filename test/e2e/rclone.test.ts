/**
 * Debian's rclone (1.60), a real S3 client, with a remote of only provider (Other: path-style, as
 * startrail serves S3), endpoint and keys: mkdir
 * (CreateBucket), copyto small and multipart (a file above --s3-upload-cutoff, in --s3-chunk-size
 * parts), ls/lsl, copy back byte for byte, sync a directory both ways, delete, purge — and the
 * CloudTrail records of those calls.
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

function rclone(...args: string[]): string {
  const r = spawnSync('rclone', ['--config', config, '--retries', '1', '--low-level-retries', '1', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: work },
  });
  assert.equal(r.status, 0, `rclone ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(async () => {
  server = await startServer();
  work = mkdtempSync(join(tmpdir(), 'startrail-rclone-'));
  config = join(work, 'rclone.conf');
  writeFileSync(
    config,
    `[st]\ntype = s3\nprovider = Other\nendpoint = ${server.endpoint}\naccess_key_id = ${server.root.accessKeyId}\nsecret_access_key = ${server.root.secretAccessKey}\n`,
  );
});

after(async () => {
  await server?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('rclone mkdir, copyto (small and multipart), ls/lsl, copy back, sync both ways, delete, purge; CloudTrail records them', async () => {
  const small = join(work, 'small.txt');
  const big = join(work, 'big.bin');
  writeFileSync(small, 'hello rclone\n');
  const bigBytes = randomBytes(12 * 1024 * 1024 + 12345);
  writeFileSync(big, bigBytes);

  rclone('mkdir', 'st:rclone-bucket');
  assert.match(rclone('lsd', 'st:'), /rclone-bucket/);
  rclone('copyto', small, 'st:rclone-bucket/small.txt');
  rclone('copyto', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M', big, 'st:rclone-bucket/big.bin');
  const ls = rclone('ls', 'st:rclone-bucket');
  assert.match(ls, /^\s*13 small\.txt$/m);
  assert.match(ls, new RegExp(`^\\s*${bigBytes.length} big\\.bin$`, 'm'));
  assert.match(rclone('lsl', 'st:rclone-bucket'), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ small\.txt/);

  rclone('copyto', 'st:rclone-bucket/big.bin', join(work, 'big.out'));
  assert.ok(readFileSync(join(work, 'big.out')).equals(bigBytes));
  rclone('copyto', 'st:rclone-bucket/small.txt', join(work, 'small.out'));
  assert.equal(readFileSync(join(work, 'small.out'), 'utf8'), 'hello rclone\n');
  // rclone checks what it uploaded and downloaded (size and MD5 / ETag)
  rclone('check', '--one-way', big, 'st:rclone-bucket/');

  const up = join(work, 'up');
  mkdirSync(join(up, 'sub'), { recursive: true });
  writeFileSync(join(up, 'a.txt'), 'a');
  writeFileSync(join(up, 'sub', 'b.txt'), 'bb');
  rclone('sync', up, 'st:rclone-bucket/dir');
  assert.match(rclone('ls', 'st:rclone-bucket/dir'), /^\s*2 sub\/b\.txt$/m);
  rmSync(join(up, 'a.txt'));
  rclone('sync', up, 'st:rclone-bucket/dir');
  assert.doesNotMatch(rclone('ls', 'st:rclone-bucket/dir'), /a\.txt/);
  const down = join(work, 'down');
  rclone('sync', 'st:rclone-bucket/dir', down);
  assert.equal(readFileSync(join(down, 'sub', 'b.txt'), 'utf8'), 'bb');

  rclone('delete', 'st:rclone-bucket/small.txt');
  assert.doesNotMatch(rclone('ls', 'st:rclone-bucket'), /small\.txt/);
  rclone('purge', 'st:rclone-bucket');
  assert.doesNotMatch(rclone('lsd', 'st:'), /rclone-bucket/);

  const names = new Set<string>();
  for (const name of ['CreateBucket', 'DeleteBucket']) {
    for (const e of await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: name }])) names.add(e.EventName!);
  }
  assert.deepEqual([...names].sort(), ['CreateBucket', 'DeleteBucket']);
});
