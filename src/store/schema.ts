/** Table types for the Kysely query builder: the one set of queries both dialects run. Times are epoch milliseconds. */
import type { Generated } from 'kysely';

export interface DB {
  kv: { key: string; value: string };
  users: { user_id: string; user_name: string; name_lower: string; path: string; arn: string; create_date: number; tags: string };
  access_keys: { access_key_id: string; secret: string; user_name: string | null; status: string; create_date: number };
  roles: { role_id: string; role_name: string; name_lower: string; path: string; arn: string; trust_policy: string; description: string | null; max_session_duration: number; create_date: number; tags: string };
  inline_policies: { owner_kind: string; owner_name: string; policy_name: string; document: string };
  managed_policies: { arn: string; policy_id: string; policy_name: string; path: string; document: string; default_version_id: string; description: string | null; create_date: number; update_date: number; tags: string };
  policy_attachments: { seq: Generated<number>; owner_kind: string; owner_name: string; policy_arn: string };
  sessions: { access_key_id: string; secret: string; token_hash: string; expiration: number; data: string };
  events: { seq: Generated<number>; event_id: string; content_key: string; event_time: number; added_at: number; imported: number; account_id: string | null; region: string | null; event_source: string | null; event_name: string | null; read_only: number | null; username: string | null; access_key_id: string | null; record: string; /** 1: a data event (delivered by trails that select it, not in Event history) */ data: number };
  event_resources: { seq: number; pos: number; event_time: number; resource_type: string | null; resource_name: string | null };
  projects: { seq: Generated<number>; id: string; arn: string; name: string; description: string | null; client_request_token: string | null; creator_arn: string; state: string; created_at: number; version: number; source: string | null };
  project_tags: { seq: Generated<number>; project_id: string; tag_key: string; tag_value: string };
  project_members: { seq: Generated<number>; project_id: string; user_arn: string; project_role: string; remote_access: number };
  project_resources: { seq: Generated<number>; project_id: string; arn: string };
  user_profiles: { seq: Generated<number>; user_arn: string; display_name: string; email_address: string; ssh_public_key: string | null; created_at: number; updated_at: number };
  codestar_calls: { operation: string; token: string; input_hash: string; result: string; created_at: number };
  trails: { id: Generated<number>; name: string; home_region: string; arn: string; created_at: number; deleted: number; settings: string; status: string; lease_owner: string | null; lease_until: number | null };
  trail_sessions: { id: Generated<number>; trail_id: number; start_seq: number; cursor: number; started_at: number; stop: string | null; batch: string | null };
  trail_chains: { session_id: number; region: string; period_start: number; previous: string | null };
  trail_log_files: { id: Generated<number>; session_id: number; region: string; bucket: string; object_key: string; hash: string; oldest_event_time: number; newest_event_time: number; delivered_at: number };
  signing_keys: { fingerprint: string; region: string; private_key: string; public_key: string; valid_from: number; valid_to: number | null };
  console_sessions: { seq: Generated<number>; id_hash: string; access_key_id: string; secrets: string; identity: string; created_at: number; expires_at: number; last_seen_at: number };
}

export type Dialect = 'sqlite' | 'postgres';
