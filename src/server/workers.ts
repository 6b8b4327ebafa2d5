/**
 * `--workers N` (README "Configuration", docs/performance.md#workers): N server processes on one
 * port, sharing the store. Each worker is a whole server (src/main.ts `start`) accepting on the
 * one listening socket node:cluster's primary opened (SCHED_NONE: the kernel gives each connection
 * to a worker that is waiting in accept). Not node:cluster's default round robin, where the primary
 * accepts and passes each connection on: a connection passed to a worker that dies at that moment
 * is never closed nor given to another (nodejs/node#3551, #21746), and its client hangs. The
 * workers share the store as nodes do: SQLite in WAL mode, one writer at a time
 * (sqlite/group-commit.ts waits for a sibling's write lock without blocking its event loop), or
 * PostgreSQL.
 *
 * The primary serves no calls. Before forking it prepares the store once (migrations, the master
 * key, the root key and the credentials file), so workers starting together never race to make
 * them. It relays long polls' wake-ups between workers (a message sent through one wakes a
 * ReceiveMessage waiting on another at once), starts a new worker when one dies, and stops them
 * all on SIGTERM or SIGINT. The background work — trail delivery and digests, retention, EventBridge,
 * Lake, SNS delivery, S3 lifecycle and access logs, alarms — runs in every worker as on every node of
 * one database, and each piece runs once at a time through its lease or claim in the store
 * (README "Several nodes on PostgreSQL"). When the primary dies (kill -9), node:cluster ends every
 * worker at once: nothing outlives it holding the store.
 */
import cluster, { type Worker } from 'node:cluster';
import { processWakeups } from '../pipeline/wakeups.ts';

/** The message a worker sends the primary, and the primary forwards to the other workers. */
interface WakeupMessage {
  startrail: 'wakeup';
  key: string;
}

const isWakeup = (m: unknown): m is WakeupMessage =>
  typeof m === 'object' && m !== null && (m as WakeupMessage).startrail === 'wakeup' && typeof (m as WakeupMessage).key === 'string';

/** How long the primary waits before replacing a worker that died. */
const RESTART_DELAY_MS = 500;

/** Whether this process is a worker of a `--workers N` server. */
export const isWorker = (): boolean => cluster.isWorker;

/** In a worker: passes this process's long-poll wake-ups to its siblings, and theirs to it. */
export function joinSiblings(): void {
  processWakeups.relay = (key) => process.send?.({ startrail: 'wakeup', key } satisfies WakeupMessage);
  process.on('message', (m) => {
    if (isWakeup(m)) processWakeups.notifyLocal(m.key);
  });
}

export interface PrimaryOptions {
  workers: number;
  /** runs once before any worker starts: opens the store (migrating it) and makes the root key */
  prepare: () => Promise<void>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

/**
 * The primary of a `--workers N` server: prepares the store, forks the workers and keeps N running.
 * A worker that exits before it ever listened (a bad configuration, the port taken) stops the
 * whole server with an error, as one process would; one that dies after serving is replaced.
 */
export async function runPrimary(opts: PrimaryOptions): Promise<void> {
  await opts.prepare();
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  const live = new Set<Worker>();
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const exits = [...live].map((w) => new Promise((r) => w.once('exit', r)));
    for (const w of live) w.process.kill('SIGTERM');
    await Promise.all(exits);
    process.exit(code);
  };
  const fork = () => {
    const w = cluster.fork();
    let listened = false;
    live.add(w);
    w.on('listening', () => {
      listened = true;
    });
    w.on('message', (m) => {
      if (!isWakeup(m)) return;
      for (const other of live) if (other !== w && other.isConnected()) other.send(m);
    });
    w.on('exit', (code, signal) => {
      live.delete(w);
      if (stopping) return;
      if (!listened) {
        opts.log('a worker failed to start; stopping', { pid: w.process.pid, code, signal });
        void stopAll(1);
        return;
      }
      opts.log('worker exited; starting another', { pid: w.process.pid, code, signal });
      setTimeout(() => stopping || fork(), RESTART_DELAY_MS);
    });
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  for (let i = 0; i < opts.workers; i++) fork();
  opts.log('startrail primary started', { workers: opts.workers });
}
