import http from 'node:http';
import { canonicalRequest, checkRequestTime, parseSigV4, verifySignature, SigV4Error } from './index.ts';
const srv = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const url = req.url ?? '/'; const q = url.indexOf('?');
    const sreq = { method: req.method ?? 'GET', rawPath: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headersDistinct, body: Buffer.concat(chunks) };
    let line = `${req.method} ${url.slice(0, 120)} `;
    try {
      const auth = parseSigV4(sreq); checkRequestTime(auth, new Date());
      line += JSON.stringify(canonicalRequest(sreq, auth, { s3: auth.service === 's3' }).slice(0, 400)) + ' ';
      await verifySignature(sreq, auth, 'secretX', { s3: auth.service === 's3' });
      line += 'OK';
    } catch (e) { line += `FAIL ${e instanceof SigV4Error ? e.kind : ''} ${(e as Error).message.slice(0, 40)} body=${sreq.body.length} te=${req.headers['transfer-encoding']} ce=${req.headers['content-encoding']} sha=${req.headers['x-amz-content-sha256']}`; }
    console.log(line);
    res.statusCode = 200; res.end();
  });
});
srv.listen(4598, () => setTimeout(() => srv.close(), 30000).unref());
