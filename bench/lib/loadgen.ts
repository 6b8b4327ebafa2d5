// Role: the load generator process (spawned by load.ts): replays pre-signed requests over keep-alive connections at fixed concurrency and prints one JSON result line.
/**
 * Input (stdin): one LoadSpec JSON per line. Output (stdout): one LoadResult JSON per line.
 * Each of `concurrency` workers owns one keep-alive connection and sends its next request as soon as
 * the previous response is complete (closed loop, no pipelining). Requests rotate through `requests`.
 * Latency is measured from writing the request to the last byte of the response.
 * Client "raw" writes pre-serialised HTTP/1.1 bytes on a net.Socket and parses Content-Length
 * responses (minimal client cost, so the server is what is measured); "http" uses node:http with a
 * keep-alive Agent (the conventional client, for comparison).
 */
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { summarise, type LatencySummary } from './stats.ts';

export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
export interface LoadSpec {
  host: string;
  port: number;
  requests: WireRequest[];
  concurrency: number;
  /** time-based run: warm up, then measure for durationMs */
  warmupMs: number;
  durationMs: number;
  /** stop after this many measured requests (whichever comes first) */
  maxRequests?: number;
  client?: 'raw' | 'http';
}
export interface LoadResult extends LatencySummary {
  seconds: number;
  rps: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  /** body bytes */
  bytesPerResponse: number;
  firstError?: string;
  client: string;
  concurrency: number;
}

type Sender = (i: number) => Promise<{ status: number; bytes: number; body?: string }>;

function serialise(r: WireRequest, host: string, port: number): Buffer {
  const body = Buffer.from(r.body);
  const headers = { host: `${host}:${port}`, ...r.headers, 'content-length': String(body.length), connection: 'keep-alive' };
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** One keep-alive connection sending whole requests and reading Content-Length framed responses. */
function rawConnection(spec: LoadSpec, wire: Buffer[]): Sender {
  let socket: Socket | undefined;
  let pending: { resolve: (r: { status: number; bytes: number; body?: string }) => void; reject: (e: Error) => void } | undefined;
  let chunks: Buffer[] = [];
  let size = 0;
  let need = -1; // total bytes of the current response once its head is parsed
  let status = 0;
  let bodyLength = 0;
  const fail = (e: Error) => {
    const p = pending;
    pending = undefined;
    socket?.destroy();
    socket = undefined;
    p?.reject(e);
  };
  const onData = (d: Buffer) => {
    chunks.push(d);
    size += d.length;
    if (need < 0) {
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      chunks = [all];
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = all.subarray(0, end).toString('latin1');
      status = Number(head.slice(9, 12));
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!m) return fail(new Error(`response without content-length: ${head.split('\r\n')[0]}`));
      bodyLength = Number(m[1]);
      need = end + 4 + bodyLength;
    }
    if (size < need) return;
    const all = Buffer.concat(chunks);
    const body =
      status >= 400
        ? all
            .subarray(all.indexOf('\r\n\r\n') + 4)
            .toString('utf8')
            .slice(0, 300)
        : undefined;
    const bytes = bodyLength;
    chunks = [];
    size = 0;
    need = -1;
    const p = pending;
    pending = undefined;
    p?.resolve({ status, bytes, body });
  };
  const open = () =>
    new Promise<Socket>((ok, ko) => {
      const s = connect({ host: spec.host, port: spec.port, noDelay: true }, () => ok(s));
      s.on('data', onData);
      s.on('error', (e) => {
        ko(e);
        fail(e);
      });
      s.on('close', () => {
        if (socket === s) socket = undefined;
        if (pending) fail(new Error('connection closed'));
      });
    });
  return async (i) => {
    socket ??= await open();
    return new Promise((resolve, reject) => {
      pending = { resolve, reject };
      socket!.write(wire[i % wire.length]!);
    });
  };
}

function httpConnection(spec: LoadSpec, agent: Agent): Sender {
  return (i) =>
    new Promise((resolve, reject) => {
      const r = spec.requests[i % spec.requests.length]!;
      const req = httpRequest(
        {
          host: spec.host,
          port: spec.port,
          method: r.method,
          path: r.path,
          headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) },
          agent,
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => {
            const b = Buffer.concat(parts);
            resolve({ status: res.statusCode ?? 0, bytes: b.length, body: (res.statusCode ?? 0) >= 400 ? b.toString('utf8').slice(0, 300) : undefined });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });
}

async function runLoadInProcess(spec: LoadSpec): Promise<LoadResult> {
  const client = spec.client ?? 'raw';
  const wire = spec.requests.map((r) => serialise(r, spec.host, spec.port));
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0,
    bytes = 0,
    next = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const measureFrom = t0 + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  let measuredEnd = stopAt;
  const max = spec.maxRequests ?? Infinity;
  const worker = async () => {
    const send = client === 'raw' ? rawConnection(spec, wire) : httpConnection(spec, agent);
    for (;;) {
      const start = performance.now();
      if (start >= stopAt || latencies.length >= max) return;
      const i = next++;
      try {
        const r = await send(i);
        const end = performance.now();
        if (start < measureFrom) continue;
        latencies.push(end - start);
        bytes += r.bytes;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status >= 400) {
          errors++;
          firstError ??= `${r.status} ${r.body ?? ''}`;
        }
        if (latencies.length >= max) measuredEnd = Math.min(measuredEnd, end);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  agent.destroy();
  const seconds = (Math.min(measuredEnd, performance.now()) - measureFrom) / 1000;
  const ok =
    latencies.length -
    Object.entries(statuses)
      .filter(([s]) => Number(s) >= 400)
      .reduce((a, [, n]) => a + n, 0);
  return {
    ...summarise(latencies),
    seconds,
    rps: latencies.length / seconds,
    ok,
    errors,
    statuses,
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
    client,
    concurrency: spec.concurrency,
    ...(firstError ? { firstError } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // One spec per input line, one result per output line, until stdin closes (one process serves a whole bench run).
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const result = await runLoadInProcess(JSON.parse(line) as LoadSpec);
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  process.exit(0);
}
