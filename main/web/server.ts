// Web mode: the renderer in a browser, served by Node on 127.0.0.1 at a random port, with the
// same LecternApi the Electron preload exposes (over HTTP: api-routes.ts). The server takes the
// API as an argument, so it runs on the engine, on the temporary Library adapter or on a test's.
import { randomBytes } from 'node:crypto';
import { createReadStream, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LecternApi } from '../../common/api.js';
import { SECURITY_HEADERS } from '../transport/content-policy.js';
import { handleApi } from './api-routes.js';
import { contentTypeOf, resolveStaticPath } from './static-files.js';
import { checkRequest, sessionCookie } from './web-guard.js';

export interface WebServerOptions {
  api: LecternApi;
  /** The built renderer (renderer/dist). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Tests pass a known token; otherwise 32 random bytes. */
  token?: string;
}

export interface WebServer {
  /** The URL to open, with the token: the first request swaps it for a cookie. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const root = realpathSync(options.rendererDir);
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Cache-Control', 'no-store');
    const verdict = checkRequest(
      { method: req.method ?? '', url: req.url ?? '/', host: req.headers.host, origin: req.headers.origin, cookie: req.headers.cookie },
      token,
      port,
    );
    if (verdict.kind === 'deny') return plain(res, verdict.status, verdict.reason);
    if (verdict.kind === 'login') {
      res.writeHead(303, { 'Set-Cookie': sessionCookie(token), Location: verdict.location });
      res.end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/api/')) return handleApi(options.api, req, res, path.slice('/api/'.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const file = resolveStaticPath(root, path);
    if (file === null) return plain(res, 404, 'not found');
    res.writeHead(200, { 'Content-Type': contentTypeOf(file) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.end();
      process.stderr.write(`lectern web: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
