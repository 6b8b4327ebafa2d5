import http from 'node:http';
import { CodeStarClient, ListProjectsCommand } from '@aws-sdk/client-codestar';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { checkRequestTime, parseSigV4, verifySignature, SigV4Error } from './index.ts';
const srv = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const url = req.url ?? '/'; const q = url.indexOf('?');
    const sreq = { method: req.method ?? 'GET', rawPath: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headersDistinct, body: Buffer.concat(chunks) };
    try {
      const auth = parseSigV4(sreq); checkRequestTime(auth, new Date());
      await verifySignature(sreq, auth, 'secretX', { s3: auth.service === 's3' });
      console.log('OK', auth.service, sreq.rawPath, sreq.rawQuery.slice(0,60), auth.signedHeaders.join(';'));
    } catch (e) { console.log('FAIL', e instanceof SigV4Error ? e.kind : '', (e as Error).message); }
    if (auth_is_sts(sreq.body)) { res.setHeader('content-type','text/xml'); res.end('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><UserId>x</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/x</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>'); }
    else { res.setHeader('content-type', 'application/x-amz-json-1.1'); res.end('{"projects":[]}'); }
  });
});
const auth_is_sts = (b: Buffer) => b.toString().startsWith('Action=');
srv.listen(4598, async () => {
  const cfg = { region: 'us-east-1', endpoint: 'http://127.0.0.1:4598', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secretX' } };
  await new CodeStarClient(cfg).send(new ListProjectsCommand({ maxResults: 10 }));
  await new STSClient(cfg).send(new GetCallerIdentityCommand({}));
  if (process.argv[2] === 'wait') return; srv.close();
});
