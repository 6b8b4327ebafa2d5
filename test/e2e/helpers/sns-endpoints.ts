/**
 * What the SNS end-to-end test runs beside startrail: an HTTPS reverse proxy in front of it (a TLS
 * terminator, as a real deployment has; its self-signed certificate is made here with node-forge and
 * trusted by this process only), and a plain HTTP endpoint that records the POSTs SNS makes and
 * answers each with the next status of a script (200 once the script is used up).
 */
import { createServer as createHttpServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer, globalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

export interface TlsProxy {
  port: number;
  /** the PEM certificate the proxy serves */
  cert: string;
  /** where requests go: set once startrail is up */
  target: { port: number };
  close(): Promise<void>;
}

function selfSigned(): { key: string; cert: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const name = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}

const listen = (s: Server) => new Promise<number>((ok) => s.listen(0, '127.0.0.1', () => ok((s.address() as AddressInfo).port)));
const closing = (s: Server) =>
  new Promise<void>((ok) => {
    s.close(() => ok());
    s.closeAllConnections();
  });

/** An HTTPS proxy to 127.0.0.1:<target.port>; its certificate is trusted by https.get in this process (sns-validator fetches with it). */
export async function startTlsProxy(): Promise<TlsProxy> {
  const { key, cert } = selfSigned();
  const target = { port: 0 };
  const server = createHttpsServer({ key, cert }, (req, res) => {
    const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const port = await listen(server as unknown as Server);
  globalAgent.options.ca = cert;
  return { port, cert, target, close: () => closing(server as unknown as Server) };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

export interface Endpoint {
  url: string;
  received: Received[];
  /** statuses to answer the next POSTs with, in order */
  script: number[];
  /** resolves with the first POST from now on that `match` accepts and that was answered with a 2xx */
  next(match: (r: Received) => boolean): Promise<Received>;
  /** resolves with the first POST from now on that `match` accepts, whatever it was answered */
  seen(match: (r: Received) => boolean): Promise<Received>;
  close(): Promise<void>;
}

export async function startEndpoint(): Promise<Endpoint> {
  const received: Received[] = [];
  const waiters: { match: (r: Received) => boolean; resolve: (r: Received) => void; any?: boolean }[] = [];
  const script: number[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '/' };
      const status = script.shift() ?? 200;
      received.push(r);
      res.writeHead(status);
      res.end();
      for (const w of [...waiters])
        if ((w.any || (status >= 200 && status < 300)) && w.match(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script,
    next: (match) => new Promise((resolve) => waiters.push({ match, resolve })),
    seen: (match) => new Promise((resolve) => waiters.push({ match, resolve, any: true })),
    close: () => closing(server),
  };
}
