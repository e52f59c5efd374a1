// The workshop application's stand-in: a tiny web app with a health check for the load balancer.
'use strict';
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
const revision = process.env.REVISION || 'dev';

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', revision }));
    return;
  }
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Workshop app</title><h1>Hello from the workshop app</h1>');
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

server.listen(port, () => console.log(`listening on :${port} (revision ${revision})`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
