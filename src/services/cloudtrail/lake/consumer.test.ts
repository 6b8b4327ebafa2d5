/**
 * How event data stores fill (docs/lake.md#ingestion), on both backends: a store keeps its account's
 * records from its creation on, of its Region unless multi-Region, as its selectors say; an
 * organization store of the management account keeps every member's; a store pending deletion or
 * not ingesting keeps nothing; each record lands once however often the consumer runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT, record } from '../../../delivery/testing.ts';
import type { LakeEventDataStore, LakeStoreSettings, Store } from '../../../store/types.ts';
import { BACKENDS, openTestStore } from '../../../store/testing.ts';
import { fillStores, LAKE_CONSUMER } from './consumer.ts';
import { DEFAULT_LAKE_SELECTORS, storeArn } from './stores.ts';

const MEMBER = '111111111111';
const OUTSIDER = '222222222222';
const ORG = 'o-abcdefghij';
const T = new Date('2026-05-06T07:08:09Z');

const settings = (o: Partial<LakeStoreSettings> = {}): LakeStoreSettings => ({
  advancedEventSelectors: DEFAULT_LAKE_SELECTORS as unknown as Record<string, unknown>[],
  multiRegionEnabled: true,
  organizationEnabled: false,
  retentionPeriod: 366,
  terminationProtectionEnabled: false,
  billingMode: 'EXTENDABLE_RETENTION_PRICING',
  tags: [],
  ingestion: true,
  ...o,
});

async function makeStore(store: Store, id: string, o: Partial<LakeStoreSettings> = {}, extra: Partial<LakeEventDataStore> = {}) {
  const startSeq = await store.trails.eventHorizon(T);
  await store.recordConsumers.ensure(LAKE_CONSUMER, startSeq, T);
  await store.lake.createStore({
    id,
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: id,
    arn: storeArn('us-east-1', ACCOUNT, id),
    settings: settings(o),
    startSeq,
    createdAt: T,
    updatedAt: T,
    ...extra,
  });
}

const names = async (store: Store, id: string) =>
  (await store.lake.readEvents(id)).map((e) => {
    const r = JSON.parse(e.record);
    return `${r.recipientAccountId ?? r.userIdentity.accountId}:${r.awsRegion}:${r.eventName}`;
  });

for (const backend of BACKENDS) {
  describe(`Lake ingestion (${backend})`, () => {
    it('scopes by account, organization, Region, selectors, creation and status; exactly once', async () => {
      const store = await openTestStore(backend, { schemaPrefix: 'lake_consumer' });
      try {
        await record(store, { name: 'BeforeAnyStore' });
        await store.organizations.create(
          {
            id: ORG,
            arn: `arn:aws:organizations::${ACCOUNT}:organization/${ORG}`,
            featureSet: 'ALL',
            managementAccountId: ACCOUNT,
            rootId: 'r-ab12',
            createdAt: T,
          },
          'CREATED',
          T,
        );
        await store.organizations.addMember({ accountId: MEMBER, orgId: ORG, parentId: 'r-ab12', joinedMethod: 'CREATED', joinedAt: T });
        await makeStore(store, '00000000-0000-0000-0000-00000000000a');
        await makeStore(store, '00000000-0000-0000-0000-00000000000b', { organizationEnabled: true });
        await makeStore(store, '00000000-0000-0000-0000-00000000000c', { multiRegionEnabled: false });
        await makeStore(store, '00000000-0000-0000-0000-00000000000d', {
          advancedEventSelectors: [
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Management'] },
                { Field: 'readOnly', Equals: ['false'] },
              ],
            },
          ],
        });
        await makeStore(store, '00000000-0000-0000-0000-00000000000e', {}, { deletedAt: T });
        await makeStore(store, '00000000-0000-0000-0000-00000000000f', { ingestion: false });
        await record(store, { name: 'Own', readOnly: true });
        await record(store, { name: 'OwnWrite', readOnly: false, region: 'eu-west-1' });
        await record(store, { name: 'Member', account: MEMBER });
        await record(store, { name: 'Outsider', account: OUTSIDER });
        for (let i = 0; i < 3; i++) await fillStores(store, 'node', new Date(T.getTime() + 1000));
        assert.deepEqual(await names(store, '00000000-0000-0000-0000-00000000000a'), [`${ACCOUNT}:us-east-1:Own`, `${ACCOUNT}:eu-west-1:OwnWrite`]);
        assert.deepEqual(await names(store, '00000000-0000-0000-0000-00000000000b'), [
          `${ACCOUNT}:us-east-1:Own`,
          `${ACCOUNT}:eu-west-1:OwnWrite`,
          `${MEMBER}:us-east-1:Member`,
        ]);
        assert.deepEqual(await names(store, '00000000-0000-0000-0000-00000000000c'), [`${ACCOUNT}:us-east-1:Own`]);
        assert.deepEqual(await names(store, '00000000-0000-0000-0000-00000000000d'), [`${ACCOUNT}:eu-west-1:OwnWrite`]);
        assert.deepEqual(await names(store, '00000000-0000-0000-0000-00000000000e'), []);
        assert.deepEqual(await names(store, '00000000-0000-0000-0000-00000000000f'), []);
        // imported rows go below the stream's
        await store.lake.appendImported('00000000-0000-0000-0000-00000000000a', [
          { eventTime: T, record: JSON.stringify({ eventName: 'Imported', awsRegion: 'x', recipientAccountId: 'y' }) },
        ]);
        assert.equal(await store.lake.countEvents('00000000-0000-0000-0000-00000000000a'), 3);
        // retention: records with an older eventTime go
        assert.equal(await store.lake.purgeEvents('00000000-0000-0000-0000-00000000000a', new Date('2026-01-02T00:00:00Z')), 2);
        assert.deepEqual(await names(store, '00000000-0000-0000-0000-00000000000a'), ['y:x:Imported']);
      } finally {
        await store.close();
      }
    });
  });
}
