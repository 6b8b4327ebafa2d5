/**
 * A Lake query's result rows in chunks of 1,000 (docs/lake.md#queries): GetQueryResults reads the one
 * or two chunks a page of at most 1,000 rows spans, not the whole result. `lake_queries.results`
 * keeps the column names and the row count; results stored before this migration (the whole result
 * in that column) are still read from it.
 */
import type { Migration } from './index.ts';

export const lakeResults: Migration = {
  name: '026-lake-results',
  async up(db) {
    await db.schema
      .createTable('lake_query_results')
      .addColumn('query_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('chunk', 'integer', (c) => c.notNull())
      .addColumn('rows', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lake_query_results_pk', ['query_id', 'chunk'])
      .execute();
  },
};
