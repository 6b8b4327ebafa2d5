/**
 * A project's tags are read in `seq` order on every call that names the project (its tags are the
 * call's `aws:ResourceTag/…` condition keys, services/codestar/access.ts). The unique
 * (project_id, tag_key) index finds them but not in that order, so each read sorted them in a
 * temporary B-tree; this index gives them in order (docs/performance.md#compiled-queries).
 */
import type { Migration } from './index.ts';

export const projectTagsSeq: Migration = {
  name: '028-project-tags-seq',
  async up(db) {
    await db.schema.createIndex('project_tags_seq').on('project_tags').columns(['project_id', 'seq']).execute();
  },
};
