/**
 * `npx startrail accounts create|list` (README "Many accounts"; docs/organizations.md#cli) while the
 * server runs, checked with the official clients: a standalone account before there is an
 * organization; after CreateOrganization, a member account with its OrganizationAccountAccessRole,
 * listed by Organizations; each account's root key written as a profile of `<data-dir>/credentials`
 * that /usr/bin/aws uses; a taken profile or email refused. Runs on SQLite and PostgreSQL.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateOrganizationCommand, DescribeAccountCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { PROJECT_ROOT, startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { sdkConfig } from './helpers/clients.ts';

let server: TestServer;

function accountsCli(...args: string[]) {
  const r = spawnSync('npx', ['startrail', 'accounts', ...args, '--data-dir', server.dataDir], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...server.env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** /usr/bin/aws with a profile of the server's credentials file. */
function awsProfile(profile: string, args: string[]) {
  const r = spawnSync('/usr/bin/aws', ['--endpoint-url', server.endpoint, '--output', 'json', '--profile', profile, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_PAGER: '',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: server.credentialsFile,
    },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const idOf = (stdout: string) => /created account (\d{12})/.exec(stdout)?.[1] ?? '';

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

test('a standalone account, then a member account of the organization; both profiles work with the official CLI', async () => {
  const solo = accountsCli('create', '--name', 'solo');
  assert.equal(solo.status, 0, solo.stderr);
  const soloId = idOf(solo.stdout);
  assert.match(soloId, /^\d{12}$/);
  assert.equal(awsProfile('solo', ['sts', 'get-caller-identity']).Arn, `arn:aws:iam::${soloId}:root`);
  const notInOrg = spawnSync('/usr/bin/aws', ['--endpoint-url', server.endpoint, '--profile', 'solo', 'organizations', 'describe-organization'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: server.credentialsFile,
    },
    encoding: 'utf8',
  });
  assert.notEqual(notInOrg.status, 0);
  assert.match(notInOrg.stderr, /AWSOrganizationsNotInUseException/);

  const orgs = new OrganizationsClient(sdkConfig(server.endpoint, server.root));
  const org = (await orgs.send(new CreateOrganizationCommand({}))).Organization!;
  const dev = accountsCli('create', '--name', 'dev', '--email', 'dev-cli@example.com');
  assert.equal(dev.status, 0, dev.stderr);
  assert.match(dev.stdout, new RegExp(`in organization ${org.Id}`));
  const devId = idOf(dev.stdout);
  assert.equal(awsProfile('dev', ['sts', 'get-caller-identity']).Account, devId);
  const account = (await orgs.send(new DescribeAccountCommand({ AccountId: devId }))).Account!;
  assert.deepEqual([account.Name, account.Email, account.JoinedMethod], ['dev', 'dev-cli@example.com', 'CREATED']);
  assert.deepEqual(((await orgs.send(new ListAccountsCommand({}))).Accounts ?? []).map((a) => a.Id).includes(soloId), false);

  // the management account's administrator enters it through OrganizationAccountAccessRole
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'admin' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'admin' }))).AccessKey!;
  const admin: Credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const assumed = await new STSClient(sdkConfig(server.endpoint, admin)).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${devId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'cli' }),
  );
  assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${devId}:assumed-role/OrganizationAccountAccessRole/cli`);

  const text = readFileSync(server.credentialsFile, 'utf8');
  assert.match(text, /^\[default\]\n/);
  assert.match(text, /\n\[solo\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\n/);
  assert.equal(statSync(server.credentialsFile).mode & 0o777, 0o600);
  // the default profile still works
  assert.equal(awsProfile('default', ['sts', 'get-caller-identity']).Arn.endsWith(':root'), true);

  const list = accountsCli('list');
  assert.equal(list.status, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.deepEqual(lines[0]!.split(/\s+/), ['ID', 'NAME', 'EMAIL', 'STATUS']);
  const rows = lines.slice(1).map((l) => l.split(/\s+/));
  assert.deepEqual(
    rows.filter((r) => r[0] === soloId || r[0] === devId),
    [
      [soloId, 'solo', `root+${soloId}@startrail.invalid`, 'ACTIVE'],
      [devId, 'dev', 'dev-cli@example.com', 'ACTIVE'],
    ],
  );
  assert.equal(rows.length, 3);
});

test('a taken profile name or email is refused, and nothing is made', async () => {
  const before = accountsCli('list').stdout;
  const again = accountsCli('create', '--name', 'dev');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already has a profile \[dev\]/);
  const email = accountsCli('create', '--name', 'dev2', '--email', 'DEV-CLI@example.com');
  assert.equal(email.status, 1);
  assert.match(email.stderr, /another account has the email address DEV-CLI@example.com/);
  assert.equal(accountsCli('list').stdout, before);
  assert.doesNotMatch(readFileSync(server.credentialsFile, 'utf8'), /\[dev2\]/);
});

test('an account made before the first start: serving afterwards still writes the default profile, and keeps the account profile', async () => {
  await server.stop();
  rmSync(server.credentialsFile);
  const early = accountsCli('create', '--name', 'early');
  assert.equal(early.status, 0, early.stderr);
  assert.doesNotMatch(readFileSync(server.credentialsFile, 'utf8'), /\[default\]/);
  await server.restart();
  const text = readFileSync(server.credentialsFile, 'utf8');
  assert.match(text, /^\[default\]$/m);
  assert.match(text, /^\[early\]$/m);
  assert.equal(statSync(server.credentialsFile).mode & 0o777, 0o600);
  assert.match(text, new RegExp(`^\\[default\\]\\naws_access_key_id = ${server.root.accessKeyId}$`, 'm'), "the configured account's root key");
  assert.match(awsProfile('default', ['sts', 'get-caller-identity']).Arn, /^arn:aws:iam::\d{12}:root$/);
  assert.equal(awsProfile('early', ['sts', 'get-caller-identity']).Account, idOf(early.stdout));
});
