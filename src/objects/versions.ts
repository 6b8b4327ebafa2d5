/**
 * On-disk layout of object versions in a versioned bucket (docs/s3.md#versioning), beside the
 * layout of files.ts, which stays as it is for buckets never versioned:
 *
 *   <root>/<bucket>/versions/<hex…>.v/<seq>-<versionId>.o   every version and delete marker of a key,
 *                                                            in the object file format
 *   <root>/<bucket>/keys/<hex…>.o                           a hard link to the key's newest version,
 *                                                            absent when that is a delete marker
 *
 * So `keys/` holds exactly the current objects, and listing, GET and HEAD of the current version
 * read it as for an unversioned bucket. `<seq>` (fixed width, sorts by creation) orders a key's
 * versions; version ids are opaque. A write puts its version file (temp, fsync, rename) and then
 * publishes: links the newest version into `keys/` (link to a temp name, rename), and looks again
 * until the newest it saw is still the newest, so concurrent writers (or nodes) converge on the
 * newest version. A crash between the two steps leaves `keys/` on an older version: opening the store
 * repairs it (repairLinks, in the background: one readdir and two stats per key of a versioned bucket,
 * nothing on the read path), as does the key's next write. An object
 * written before the bucket was versioned is its null version: its first versioned write adopts it
 * (a hard link as the oldest version) first.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bucketDir, hexToKey, keyToHex, makeSegmentDirs, objectPath, pruneSegmentDirs, tempName } from './files.ts';

const SEGMENT = 200;
export const VERSION_DIR_SUFFIX = '.v';
/** The seq of an object adopted as the null version: older than any version written. */
export const ADOPTED_SEQ = '0'.repeat(21);

export const versionsDir = (root: string, bucket: string) => join(bucketDir(root, bucket), 'versions');

/** The directory of a key's versions: the key's hex in segments, the last with VERSION_DIR_SUFFIX. */
export function versionDir(root: string, bucket: string, key: string): string {
  const hex = keyToHex(key);
  const segs: string[] = [];
  for (let i = 0; i < hex.length; i += SEGMENT) segs.push(hex.slice(i, i + SEGMENT));
  segs[segs.length - 1] += VERSION_DIR_SUFFIX;
  return join(versionsDir(root, bucket), ...segs);
}

/** A version id as S3 shows them: 32 URL-safe characters. */
export const VERSION_ID = /^[0-9A-Za-z_-]{32}$/;
/**
 * A new version id. It never starts with `-`: a command line would take `--version-id -…` for an
 * option (the AWS CLI does), so the first character is drawn from letters and digits only.
 */
export function newVersionId(): string {
  const id = randomBytes(24).toString('base64url');
  return id.startsWith('-') ? `${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[(randomBytes(1)[0] as number) % 62]}${id.slice(1)}` : id;
}
export const isVersionId = (id: string) => id === 'null' || VERSION_ID.test(id);

let lastMs = 0;
let counter = 0;

/** A fixed-width, increasing (within this process) sequence string for a version made at `now`. */
export function nextSeq(now: Date): string {
  const ms = Math.max(now.getTime(), lastMs);
  counter = ms === lastMs ? counter + 1 : 0;
  lastMs = ms;
  return `${String(ms).padStart(15, '0')}${String(counter).padStart(6, '0')}`;
}

export const versionFileName = (seq: string, versionId: string) => `${seq}-${versionId}.o`;
export const versionIdOfFile = (name: string) => name.slice(name.indexOf('-') + 1, -2);

const missing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');

/** A key's version file names, newest first; [] when it has none. */
export async function versionNames(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((e) => {
    if (missing(e)) return [] as string[];
    throw e;
  });
  return names.filter((n) => n.endsWith('.o') && n.includes('-')).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** Makes a key's version directory one level at a time below `versions/` (which it makes), never the bucket. */
export async function makeVersionDirs(root: string, bucket: string, key: string): Promise<void> {
  const ignoreExists = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  };
  await mkdir(versionsDir(root, bucket)).catch(ignoreExists);
  const rel = versionDir(root, bucket, key)
    .slice(versionsDir(root, bucket).length + 1)
    .split('/');
  let dir = versionsDir(root, bucket);
  for (const seg of rel) {
    dir = join(dir, seg);
    await mkdir(dir).catch(ignoreExists);
  }
}

/** Links `from` to `target` atomically (a link at a temp name, renamed over the target). */
export async function linkOver(root: string, from: string, target: string, prepare: () => Promise<void>): Promise<void> {
  const tmp = tempName(root, 'l');
  await link(from, tmp);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await prepare();
        await rename(tmp, target);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw e;
      }
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The inode of a file, or undefined when it does not exist. */
async function inode(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.ino,
    (e) => {
      if (missing(e)) return undefined;
      throw e;
    },
  );
}

/**
 * Makes `keys/<key>` the key's newest version (or removes it when that is a delete marker or there
 * is none), looking again until what it published is still the newest.
 */
export async function publish(root: string, bucket: string, key: string, isMarker: (file: string) => Promise<boolean | undefined>): Promise<void> {
  const dir = versionDir(root, bucket, key);
  const current = objectPath(root, bucket, key);
  let last: string | undefined;
  for (let round = 0; round < 20; round++) {
    const names = await versionNames(dir);
    const newest = names[0];
    if (round > 0 && newest === last) return;
    last = newest;
    const file = newest && join(dir, newest);
    const marker = file ? await isMarker(file) : true;
    if (marker === undefined) {
      last = undefined; // removed meanwhile: look again
      continue;
    }
    if (marker) {
      await rm(current, { force: true });
      await pruneSegmentDirs(root, bucket, current);
    } else if ((await inode(file!)) !== (await inode(current))) {
      await linkOver(root, file!, current, () => makeSegmentDirs(root, bucket, key)).catch((e) => {
        if (!missing(e)) throw e; // the version went meanwhile: the next round sees it
        last = undefined;
      });
    }
  }
}

/**
 * Repairs what a crash between a write's two steps (version file, then publish) leaves in a versioned
 * bucket: a key whose `keys/` entry is not its newest version (an older one, or one left over a newer
 * delete marker). A key is looked at cheaply — its newest version's inode against its `keys/` entry's;
 * only a key with no current object reads its newest version's header (is it a delete marker?) — and
 * published when stale. Safe beside live writes: publish converges on the newest version whoever runs
 * it. Returns how many keys it published.
 */
export async function repairLinks(root: string, bucket: string, isMarker: (file: string) => Promise<boolean | undefined>): Promise<number> {
  const hexes: string[] = [];
  await collectVersionKeys(versionsDir(root, bucket), '', '', hexes);
  let repaired = 0;
  for (const hex of hexes) {
    const key = hexToKey(hex);
    const dir = versionDir(root, bucket, key);
    const newest = (await versionNames(dir))[0];
    if (!newest) continue;
    const linked = await inode(objectPath(root, bucket, key));
    const latest = await inode(join(dir, newest));
    if (latest === undefined || latest === linked) continue;
    if (linked === undefined && (await isMarker(join(dir, newest))) !== false) continue; // a delete marker is current: nothing linked, rightly
    await publish(root, bucket, key, isMarker);
    repaired++;
  }
  return repaired;
}

/** Whether the bucket has any version directory entry left (DeleteBucket: versions count as objects). */
export async function hasVersions(root: string, bucket: string): Promise<boolean> {
  const walk = async (dir: string): Promise<boolean> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((e) => {
      if (missing(e)) return [];
      throw e;
    });
    for (const e of entries) {
      if (e.isFile() && e.name.endsWith('.o')) return true;
      if (e.isDirectory() && (await walk(join(dir, e.name)))) return true;
    }
    return false;
  };
  return walk(versionsDir(root, bucket));
}

/** Keys (as hex) that have a version directory under `dir`, whose hex could start with the prefix. */
export async function collectVersionKeys(dir: string, pathHex: string, prefixHex: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e) => {
    if (missing(e)) return [];
    throw e;
  });
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    if (e.name.endsWith(VERSION_DIR_SUFFIX)) {
      const hex = pathHex + e.name.slice(0, -VERSION_DIR_SUFFIX.length);
      if (hex.startsWith(prefixHex)) out.push(hex);
    } else {
      const full = pathHex + e.name;
      if (full.startsWith(prefixHex) || prefixHex.startsWith(full)) await collectVersionKeys(join(dir, e.name), full, prefixHex, out);
    }
  }
}

/** After removing a version: removes the key's now-empty version directories (never `versions/` itself). */
export async function pruneVersionDirs(root: string, bucket: string, key: string): Promise<void> {
  const stop = versionsDir(root, bucket);
  for (let dir = versionDir(root, bucket, key); dir.length > stop.length && dir.startsWith(stop); dir = dir.slice(0, dir.lastIndexOf('/'))) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}
