/**
 * HTTP plumbing for the console: bounded body reading, JSON replies, and the security headers every
 * console response carries (a strict Content-Security-Policy: scripts and styles only from /console,
 * no inline code, no framing).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A console error reply: the same {code, message} shape the browser shows for AWS errors. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string | string[]> = {}): void {
  sendJson(res, status, { code, message }, headers);
}

export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A state-changing console request must come from the console's own pages: JSON content (a cross-site
 * form cannot send it without a CORS preflight, which this server never grants), and an Origin, when
 * the browser sends one, naming this host.
 */
export function sameOriginJson(req: IncomingMessage): boolean {
  if (!(headerOf(req, 'content-type') ?? '').toLowerCase().startsWith('application/json')) return false;
  const origin = headerOf(req, 'origin');
  if (origin === undefined) return true;
  const host = headerOf(req, 'host');
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body.toString('utf8') || '{}');
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
