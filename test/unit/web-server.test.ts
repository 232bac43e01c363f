// The web-mode server's guards with real HTTP requests (node:http, which can send any Host and
// Origin a hostile page or a DNS-rebinding attack would), on a real library file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../main/engine/service.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';
import { COOKIE_NAME } from '../../main/web/web-guard.js';
import { fixture } from '../support/fixtures.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const dir = mkdtempSync(join(tmpdir(), 'lectern-web-'));
const rendererDir = join(dir, 'renderer');
let api: LibraryService;
let server: WebServer;
let cookie: string;

function send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const authed = (extra: Record<string, string> = {}) => ({ Cookie: cookie, ...extra });
const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
  send('POST', path, authed({ 'Content-Type': 'application/json', Origin: server.origin, ...extra }), JSON.stringify(body));

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Lectern</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  api = new LibraryService({ dbPath: join(dir, 'library', 'library.sqlite') });
  server = await startWebServer({ api, rendererDir });
  const login = await send('GET', `/?token=${server.token}`);
  expect(login.status).toBe(303);
  const set = String(login.headers['set-cookie']);
  expect(set).toMatch(/HttpOnly/);
  expect(set).toMatch(/SameSite=Strict/);
  cookie = set.split(';')[0];
});

afterAll(async () => {
  await server.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web mode: who may talk to the server', () => {
  it('swaps the token in the URL for a cookie and redirects to the URL without it', async () => {
    const r = await send('GET', `/assets/app.js?token=${server.token}&x=1`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/assets/app.js?x=1');
    expect(cookie).toBe(`${COOKIE_NAME}=${server.token}`);
  });

  it('answers 401 to a request with neither token nor cookie, or a wrong one', async () => {
    expect((await send('GET', '/')).status).toBe(401);
    expect((await send('GET', '/?token=wrong')).status).toBe(401);
    expect((await send('GET', '/', { Cookie: `${COOKIE_NAME}=wrong` })).status).toBe(401);
    expect((await send('POST', '/api/listDocuments', { 'Content-Type': 'application/json', Origin: server.origin }, '{"args":[]}')).status).toBe(401);
    // The token opens a session on GET only: a forged form post with it in the URL is refused.
    expect((await send('POST', `/api/listDocuments?token=${server.token}`, { 'Content-Type': 'application/json', Origin: server.origin }, '{"args":[]}')).status).toBe(401);
  });

  it('refuses a Host that is not this loopback server (DNS rebinding), even with the cookie', async () => {
    expect((await send('GET', '/', authed({ Host: 'attacker.example' }))).status).toBe(403);
    expect((await send('GET', '/', authed({ Host: `attacker.example:${server.port}` }))).status).toBe(403);
    expect((await send('GET', '/', authed({ Host: `127.0.0.1:${server.port + 1}` }))).status).toBe(403);
    expect((await send('GET', `/?token=${server.token}`, { Host: 'rebound.example' })).status).toBe(403);
    expect((await send('GET', '/', authed({ Host: `localhost:${server.port}` }))).status).toBe(200);
  });

  it('refuses a non-GET request from another origin or without one', async () => {
    expect((await post('/api/listDocuments', { args: [] }, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/api/listDocuments', { args: [] }, { Origin: 'null' })).status).toBe(403);
    expect((await send('POST', '/api/listDocuments', authed({ 'Content-Type': 'application/json' }), '{"args":[]}')).status).toBe(403);
    expect((await post('/api/listDocuments', { args: [] })).status).toBe(200);
  });

  it('sends the strict CSP and no-sniff on every response, refusals included', async () => {
    for (const r of [await send('GET', '/'), await send('GET', '/', authed()), await send('GET', '/nope', authed())]) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
      expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|https?:/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves only files under the renderer folder', async () => {
    expect((await send('GET', '/', authed())).body).toContain('<title>Lectern</title>');
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets%2f..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/assets']) {
      const r = await send('GET', path, authed());
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside the root');
    }
  });
});

describe('web mode: the API over HTTP', () => {
  it('adds a document from its bytes with progress events, then finds it and a quote in it', async () => {
    const bytes = readFileSync(fixture('contracts/series-seed-term-sheet.md'));
    const r = await send(
      'POST',
      '/api/addBytes',
      authed({ 'Content-Type': 'application/octet-stream', Origin: server.origin, 'X-Lectern-Args': encodeURIComponent(JSON.stringify(['term sheet.md', {}])) }),
      bytes,
    );
    expect(r.headers['content-type']).toBe('text/event-stream');
    const result = JSON.parse(/^event: result\ndata: (.*)$/m.exec(r.body)![1]);
    expect(result.document.format).toBe('md');
    const id: string = result.document.id;

    const hits = await post('/api/search', { args: [id, 'liquidation preference', 3] });
    const found = JSON.parse(/^event: result\ndata: (.*)$/m.exec(hits.body)![1]);
    expect(found[0].quote.toLowerCase()).toMatch(/liquidat/);
    const text = bytes.toString('utf8');
    expect(found[0].end).toBeGreaterThan(found[0].start);

    const src = await post('/api/getSource', { args: [id] });
    expect(src.body).toBe(text);
  });

  it('answers a question across the library with an Answer', async () => {
    const r = await post('/api/ask', { args: [null, 'What is the liquidation preference?', {}] });
    const answer = JSON.parse(/^event: result\ndata: (.*)$/m.exec(r.body)![1]);
    expect(typeof answer.found).toBe('boolean');
    expect(Array.isArray(answer.citations)).toBe(true);
  });

  it('refuses malformed calls with a one-line usage error', async () => {
    const cases: Array<[string, unknown]> = [
      ['/api/getDocument', { args: ['../../etc/passwd'] }],
      ['/api/search', { args: ['a'.repeat(64), ''] }],
      ['/api/read', { args: ['a'.repeat(64), { device: 'tpu' }] }],
      ['/api/read', { args: ['a'.repeat(64), { evil: 1 }] }],
      ['/api/listDocuments', { args: [1] }],
      ['/api/listDocuments', { nope: true }],
    ];
    for (const [path, body] of cases) {
      const r = await post(path, body);
      const err = r.status === 400 ? JSON.parse(r.body).error : JSON.parse(/^event: error\ndata: (.*)$/m.exec(r.body)![1]);
      expect(err.code, JSON.stringify(body)).toBe('usage');
    }
    expect((await post('/api/constructor', { args: [] })).status).toBe(404);
    expect((await send('POST', '/api/listDocuments', authed({ 'Content-Type': 'text/plain', Origin: server.origin }), '{"args":[]}')).status).toBe(400);
  });

  it('cancels a call by its id and answers once it has stopped; an unknown or malformed id is answered plainly', async () => {
    const id = '0123456789abcdef-0000-4000-8000';
    // A search is over before a cancel can reach it: the id is then unknown.
    expect((await post('/api/search', { args: ['f'.repeat(64), 'x'] }, { 'X-Lectern-Call': id })).status).toBe(200);
    const unknown = await post('/api/cancel', { args: [id] });
    expect(unknown.status).toBe(200);
    expect(JSON.parse(unknown.body)).toEqual({ cancelled: false });
    expect((await post('/api/cancel', { args: ['../../etc'] })).status).toBe(400);
    expect((await post('/api/cancel', { args: [] })).status).toBe(400);
    expect((await post('/api/cancel', { args: [id] }, { Origin: 'http://attacker.example' })).status).toBe(403);
  });
});
