// A stand-in for Meta's Graph API media endpoints, for the demo (scripts/demo.sh; docs/media.md): serves the files of
// a folder (default samples/media), each named <media id>.<ext>, on 127.0.0.1 at a free port, which it prints first.
//
//   GET /<media id>        (Authorization: Bearer <any token>)  -> {"url", "mime_type", "sha256", "file_size", "id"}
//   GET /files/<media id>  (the same header)                     -> the file
//
// Anything else, an unknown id or a missing bearer token answers 404 or 401, as Meta's would. No dependency but Node.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const folder = path.resolve(process.argv[2] || path.join(__dirname, '..', 'samples', 'media'));
const types = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.ogg': 'audio/ogg', '.mp4': 'video/mp4', '.pdf': 'application/pdf' };
const files = new Map();
for (const name of fs.readdirSync(folder)) {
  const ext = path.extname(name).toLowerCase();
  const bytes = fs.readFileSync(path.join(folder, name));
  files.set(path.basename(name, ext), { bytes, mime: types[ext] || 'application/octet-stream' });
}

const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://127.0.0.1');
  if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return answer(res, 401, { error: { message: 'no access token', code: 190 } });
  const download = pathname.match(/^\/files\/([^/]+)$/);
  const lookup = pathname.match(/^\/([^/]+)$/);
  const file = files.get(decodeURIComponent((download || lookup || [])[1] || ''));
  if (!file) return answer(res, 404, { error: { message: 'Unsupported get request', code: 100 } });
  if (download) {
    res.writeHead(200, { 'Content-Type': file.mime, 'Content-Length': file.bytes.length });
    return res.end(file.bytes);
  }
  const id = lookup[1];
  const { port } = server.address();
  answer(res, 200, {
    url: `http://127.0.0.1:${port}/files/${id}`,
    mime_type: file.mime,
    sha256: crypto.createHash('sha256').update(file.bytes).digest('base64'),
    file_size: file.bytes.length,
    id,
    messaging_product: 'whatsapp',
  });
});

function answer(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
