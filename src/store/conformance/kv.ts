/**
 * KvStore conformance, and Store.transaction across aggregates: everything a transaction does
 * commits together or not at all — the audit contract of every mutating call, whose change and
 * whose record commit in one transaction (docs/architecture.md#audit).
 */
import assert from 'node:assert/strict';
import { storedEvent } from '../../audit/columns.ts';
import { user } from './identities.ts';
import { storeTest, T0, type Suite } from './harness.ts';

export function runKvConformance(suite: Suite): void {
  storeTest(suite, 'a key holds its last value; an unknown key has none', async (s) => {
    assert.equal(await s.kv.get('root-key'), undefined);
    await s.kv.put('root-key', 'v1');
    await s.kv.put('other', 'x'.repeat(10_000));
    await s.kv.put('root-key', 'v2 with "quotes" and ünïcode');
    assert.equal(await s.kv.get('root-key'), 'v2 with "quotes" and ünïcode');
    assert.equal(await s.kv.get('other'), 'x'.repeat(10_000));
    assert.equal(await s.kv.get('ROOT-KEY'), undefined, 'keys are exact');
  });

  storeTest(suite, 'swap sets a value only over the expected one (absent: undefined); concurrent swaps: one wins', async (s) => {
    assert.equal(await s.kv.swap('lease', undefined, 'a'), true);
    assert.equal(await s.kv.swap('lease', undefined, 'b'), false);
    assert.equal(await s.kv.swap('lease', 'b', 'c'), false);
    assert.equal(await s.kv.get('lease'), 'a');
    assert.equal(await s.kv.swap('lease', 'a', 'd'), true);
    assert.equal(await s.kv.get('lease'), 'd');
    const won = await Promise.all(['e', 'f', 'g', 'h'].map((v) => s.kv.swap('lease', 'd', v)));
    assert.equal(won.filter(Boolean).length, 1);
    const fresh = await Promise.all(['e', 'f', 'g'].map((v) => s.kv.swap('fresh', undefined, v)));
    assert.equal(fresh.filter(Boolean).length, 1);
  });

  storeTest(suite, 'a transaction commits everything or nothing', async (s) => {
    await s.transaction(async (tx) => {
      await tx.kv.put('a', '1');
      await tx.kv.put('b', '2');
    });
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.kv.put('a', 'changed');
        await tx.identities.createUser(user('zed'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await s.kv.get('a'), '1');
    assert.equal(await s.identities.getUser('zed'), undefined);
    // nested calls join the outer transaction
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.transaction(async (inner) => inner.kv.put('c', '3'));
        throw new Error('outer');
      }),
    );
    assert.equal(await s.kv.get('c'), undefined);
  });

  storeTest(suite, "a call's change and its record commit together: a failed transaction leaves neither; its value is returned", async (s) => {
    const json = '{"eventID":"call-1","eventTime":"2026-01-01T00:00:00Z","eventName":"CreateProject"}';
    const project = {
      id: 'p1',
      arn: 'arn:aws:codestar:us-east-1:000000000000:project/p1',
      name: 'P1',
      creatorArn: 'arn:aws:iam::000000000000:root',
      state: 'CreateComplete',
      createdAt: T0,
      version: 1,
    };
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.projects.create(project);
        await tx.events.append([storedEvent(JSON.parse(json), json)]);
        throw new Error('the response could not be encoded');
      }),
      /could not be encoded/,
    );
    assert.equal(await s.projects.get('p1'), undefined);
    assert.equal(await s.events.get('call-1'), undefined);
    assert.equal(await s.events.count(), 0);
    const result = await s.transaction(async (tx) => {
      await tx.projects.create(project);
      return tx.events.append([storedEvent(JSON.parse(json), json)]);
    });
    assert.equal(result, 1);
    assert.equal((await s.projects.get('p1'))?.name, 'P1');
    assert.equal((await s.events.get('call-1'))?.json, json);
  });
}
