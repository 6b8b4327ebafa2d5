// Role: the reference server for startrail/bare ratios: node:http, reads the request body, answers `{}` as AWS JSON 1.1.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '2', 'x-amzn-requestid': '00000000-0000-4000-8000-000000000000' });
    res.end('{}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
