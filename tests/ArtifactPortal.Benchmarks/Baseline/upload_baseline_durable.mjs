#!/usr/bin/env node
// Upload anchor: HTTP PUT of a file over loopback (curl as client, separate
// process) into a node http server that streams the body to disk while
// computing SHA-256 (node crypto = OpenSSL, like .NET on Linux).
//   node upload_http.mjs <file> [dest]
// (ArtifactPortal: this durable variant of ../shared/bench/upload_baseline.mjs fsyncs the file before it answers, as the
// portal does; the only changes are `flush: true` and answering on 'close', after that fsync.)
// Prints METRIC query_s=<seconds from request start to response> and checks
// the server-side hash against an independent `openssl dgst -sha256`.
// Loopback only (127.0.0.1, ephemeral port); one request; server closes after.
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';

const file = process.argv[2];
const dest = process.argv[3] || '/tmp/benchdata/upload.tmp';
const expected = execFileSync('openssl', ['dgst', '-sha256', '-r', file]).toString().split(' ')[0];

const server = http.createServer((req, res) => {
  const h = crypto.createHash('sha256');
  const out = fs.createWriteStream(dest, { highWaterMark: 1 << 20, flush: true });
  let n = 0;
  req.on('data', (chunk) => { h.update(chunk); n += chunk.length; if (!out.write(chunk)) { req.pause(); out.once('drain', () => req.resume()); } });
  req.on('end', () => {
    out.on('close', () => {
      const digest = h.digest('hex');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${digest} ${n}\n`);
    });
    out.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const t0 = process.hrtime.bigint();
  const c = spawn('curl', ['-sS', '--fail', '-T', file, '-H', 'Expect:', `http://127.0.0.1:${port}/upload`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let body = '';
  c.stdout.on('data', (d) => { body += d; });
  c.on('close', (code) => {
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    server.close();
    fs.rmSync(dest, { force: true });
    const [digest, n] = body.trim().split(' ');
    if (code !== 0 || digest !== expected) {
      console.error(`upload failed: curl rc=${code} got=${digest} expected=${expected}`);
      process.exit(1);
    }
    console.log(`METRIC query_s=${secs.toFixed(4)} bytes=${n} sha256_ok=1`);
  });
});
setTimeout(() => { console.error('timeout'); process.exit(1); }, 300000).unref();
