/**
 * Several nodes on one PostgreSQL database (docs/architecture.md#storage, docs/architecture.md#delivery): three startrail nodes
 * share a schema (and a data dir, where the embedded object store lives); calls go through all three
 * with the official SDK clients; the node delivering the trail is SIGKILLed while calls keep coming;
 * another node takes the trail over within seconds, and in the end every call's record is in the
 * delivered log files exactly once and in LookupEvents of every surviving node exactly once.
 * Always runs on PostgreSQL (TEST_DATABASE_URL of src/store/testing.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand, StopLoggingCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { startServer, type Sibling, type TestServer } from './helpers/server.ts';
import { callerIdentityCalls, sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';
import { cloudTrailBucketPolicy, listKeys, readGzip, s3Client, waitFor } from './helpers/delivery.ts';

process.env.STARTRAIL_E2E_BACKEND = 'postgres';
const ACCOUNT = '000000000000';
const BUCKET = 'multinode-trail-logs';
const TRAIL = 'multinode-trail';

interface Node {
  name: string;
  endpoint: string;
  pid: number | undefined;
  kill(): Promise<void>;
}
let server: TestServer;
let siblings: Sibling[] = [];
let nodes: Node[];

before(async () => {
  const env = { STARTRAIL_DELIVERY_INTERVAL: '1' };
  server = await startServer(env);
  siblings = [await server.startSibling(env), await server.startSibling(env)];
  nodes = [
    { name: 'node-0', endpoint: server.endpoint, pid: server.pid(), kill: () => server.kill() },
    ...siblings.map((s, i) => ({ name: `node-${i + 1}`, endpoint: s.endpoint, pid: s.pid, kill: s.kill })),
  ];
  const s3 = s3Client(nodes[1]!.endpoint, server.root);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET, ACCOUNT) }));
  const ct = new CloudTrailClient(sdkConfig(nodes[2]!.endpoint, server.root));
  await ct.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET }));
});

after(async () => {
  for (const s of siblings) await s.stop();
  await server?.dispose();
});

/** The parent of a process (Linux), or undefined once it is gone. */
function parentPid(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The node whose process holds the trail's delivery lease (an advisory lock; its session names the process). */
async function leaseHolder(): Promise<Node | undefined> {
  const db = new pg.Client({ connectionString: server.env.STARTRAIL_DATABASE_URL });
  await db.connect();
  try {
    const r = await db.query<{ app: string }>(
      `select a.application_name as app from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.objsubid = 2 and l.granted and l.classid::int4 = hashtext($1::text || '.trails')`,
      [server.env.STARTRAIL_DATABASE_SCHEMA],
    );
    const pid = Number(/startrail-delivery:(\d+)/.exec(r.rows[0]?.app ?? '')?.[1]);
    // with STARTRAIL_WORKERS=N a node is a primary and the holder one of its workers
    return nodes.find((n) => n.pid === pid || n.pid === parentPid(pid));
  } finally {
    await db.end();
  }
}

/** Polls the logging session until it has a planned, uncommitted batch; false if none showed within `ms`. */
async function planned(ms: number): Promise<boolean> {
  const db = new pg.Client({ connectionString: server.env.STARTRAIL_DATABASE_URL, options: `-c search_path=${server.env.STARTRAIL_DATABASE_SCHEMA}` });
  await db.connect();
  try {
    for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
      if ((await db.query('select 1 from trail_sessions where batch is not null')).rowCount) return true;
    }
    return false;
  } finally {
    await db.end();
  }
}

/** `n` GetCallerIdentity calls spread over the nodes, concurrently; the request ids they got. */
const calls = (over: Node[], n: number) =>
  callerIdentityCalls(
    over.map((node) => node.endpoint),
    server.root,
    n,
  );

test('three nodes, one database: the delivering node is killed mid-delivery; every record delivered once, and found once on every node', async (t) => {
  assert.ok(server.env.STARTRAIL_DATABASE_SCHEMA, 'the nodes run on PostgreSQL');
  const started = new Date(Date.now() - 60_000);
  await new CloudTrailClient(sdkConfig(nodes[0]!.endpoint, server.root)).send(new StartLoggingCommand({ Name: TRAIL }));
  let s3 = s3Client(nodes[0]!.endpoint, server.root);
  const sent: string[] = [];
  // traffic through all three until one of them delivers something
  for (let round = 0; round < 4; round++) sent.push(...(await calls(nodes, 60)));
  await waitFor('a first log file', async () => (await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/`)).length > 0, 20_000);
  const victim = await waitFor('the lease holder', leaseHolder, 10_000);
  const survivors = nodes.filter((n) => n !== victim);
  s3 = s3Client(survivors[0]!.endpoint, server.root);

  // kill the holder while calls stream in through the others, the moment it has planned a batch (between
  // the plan and its commit: objects being written), or after 3 s of looking for that moment
  const during = calls(survivors, 200);
  const midBatch = await planned(3_000);
  await victim.kill();
  const killedAt = Date.now();
  sent.push(...(await during));
  const heir = await waitFor(
    'another node to take the trail over',
    async () => {
      const h = await leaseHolder();
      return h && h !== victim ? h : undefined;
    },
    15_000,
  );
  const handover = Date.now() - killedAt;
  assert.ok(survivors.includes(heir));
  assert.ok(handover < 10_000, `handed over in ${handover} ms`);
  for (let round = 0; round < 4; round++) sent.push(...(await calls(survivors, 60)));

  // everything sent must arrive; then stop and let the last files land
  const delivered = async () => {
    const seen = new Map<string, number>();
    const eventIds = new Set<string>();
    let total = 0;
    for (const key of await listKeys(s3, BUCKET, `AWSLogs/${ACCOUNT}/CloudTrail/`)) {
      for (const r of JSON.parse(await readGzip(s3, BUCKET, key)).Records as { requestID: string; eventID: string }[]) {
        seen.set(r.requestID, (seen.get(r.requestID) ?? 0) + 1);
        eventIds.add(r.eventID);
        total++;
      }
    }
    return { seen, total, eventIds };
  };
  const ct = new CloudTrailClient(sdkConfig(heir.endpoint, server.root));
  await ct.send(new StopLoggingCommand({ Name: TRAIL }));
  await waitFor(
    'every record delivered',
    async () => {
      const { seen } = await delivered();
      const status = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
      return sent.every((id) => seen.has(id)) && !status.LatestDeliveryError;
    },
    30_000,
  );

  const { seen, total, eventIds } = await delivered();
  t.diagnostic(
    `${sent.length} calls; killed ${victim.name} (the lease holder); ${heir.name} took over ${handover} ms later; ${total} records delivered; killed ${midBatch ? 'between a plan and its commit' : 'between batches'}`,
  );
  assert.equal(eventIds.size, total, 'no record delivered twice');
  const missing = sent.filter((id) => !seen.has(id));
  const twice = sent.filter((id) => (seen.get(id) ?? 0) > 1);
  assert.deepEqual([missing.length, twice.length], [0, 0], `of ${sent.length} calls: ${missing.length} missing, ${twice.length} twice`);

  // Event history is the same database: every surviving node answers with each record exactly once
  for (const node of survivors) {
    const events = await sdkLookup(node.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }], { start: started });
    const byRequest = new Map<string, number>();
    for (const e of events) {
      const id = JSON.parse(e.CloudTrailEvent!).requestID as string;
      byRequest.set(id, (byRequest.get(id) ?? 0) + 1);
    }
    assert.deepEqual([sent.filter((id) => byRequest.get(id) !== 1).length, events.length], [0, sent.length], `LookupEvents on ${node.name}`);
  }
});
