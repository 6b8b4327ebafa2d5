/**
 * IAM's Marker/MaxItems paging (M-IAM: MaxItems 1–1000, default 100; IsTruncated; Marker opaque).
 * The marker is base64 of the last item's sort key, so a page boundary stays put while items are added
 * or removed elsewhere: the next page is "everything after that key".
 */
import { invalidMarker } from './errors.ts';

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}
export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

const DEFAULT_MAX_ITEMS = 100;

export const encodeMarker = (key: string): string => Buffer.from(key, 'utf8').toString('base64');

/** The sort key a marker stands for; a marker we did not issue is InvalidInput. */
export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const key = Buffer.from(marker, 'base64').toString('utf8');
  if (!key || encodeMarker(key) !== marker) throw invalidMarker();
  return key;
}

export const maxItems = (input: PageInput): number => input.MaxItems ?? DEFAULT_MAX_ITEMS;

function page<T>(fetched: T[], limit: number, key: (t: T) => string): Page<T> {
  const items = fetched.slice(0, limit);
  const last = items[items.length - 1];
  return fetched.length > limit && last !== undefined ? { items, IsTruncated: true, Marker: encodeMarker(key(last)) } : { items, IsTruncated: false };
}

/** Pages an in-memory list; items are sorted by `key` (which must be unique) here. */
export function pageOf<T>(all: T[], key: (t: T) => string, input: PageInput): Page<T> {
  const after = decodeMarker(input.Marker);
  const sorted = [...all].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((t) => key(t) > after);
  return page(rest, maxItems(input), key);
}

/** Pages a store listing that takes `after` (the last key of the previous page) and a limit. */
export async function pageFromStore<T>(
  fetch: (after: string | undefined, limit: number) => Promise<T[]>,
  key: (t: T) => string,
  input: PageInput,
): Promise<Page<T>> {
  const limit = maxItems(input);
  return page(await fetch(decodeMarker(input.Marker), limit + 1), limit, key);
}

/** The wire members of a page, after the list member itself. */
export const pageMembers = (p: Page<unknown>) => ({ IsTruncated: p.IsTruncated, Marker: p.Marker });

/**
 * ListUsers / ListRoles: the store pages by name and filters paths with SQL LIKE, which is case-insensitive
 * and cannot express `_` or `%`; IAM's PathPrefix is a case-sensitive prefix, so it is re-checked here
 * (a page may then hold fewer than MaxItems, which IAM also allows while IsTruncated is true).
 */
export async function pageByName<T extends { path: string }>(
  list: (o: { pathPrefix?: string; after?: string; limit: number }) => Promise<T[]>,
  name: (t: T) => string,
  input: PageInput & { PathPrefix?: string },
): Promise<Page<T>> {
  const prefix = input.PathPrefix;
  const storePrefix = prefix && !/[%_]/.test(prefix) ? prefix : undefined;
  const p = await pageFromStore(
    (after, limit) => list({ ...(storePrefix ? { pathPrefix: storePrefix } : {}), ...(after ? { after } : {}), limit }),
    (t) => name(t).toLowerCase(),
    input,
  );
  return prefix ? { ...p, items: p.items.filter((t) => t.path.startsWith(prefix)) } : p;
}
