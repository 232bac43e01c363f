// web mode's API: one POST endpoint per LecternApi method (/api/<method>). Arguments arrive as
// JSON ({"args": [...]}); addBytes sends the file's raw bytes as the body and its other
// arguments in the X-Lectern-Args header. Results and progress go back as server-sent events
// (progress…, then one result or error event); getSource answers with the bytes themselves.
// Closing the request cancels the call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LecternApi } from '../../common/api.js';
import { isApiMethod } from '../../common/api-methods.js';
import { LecternError, type WireError } from '../../common/errors.js';
import { dispatchCall } from '../transport/api-dispatch.js';

const MAX_JSON_BYTES = 1 << 20;
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, error: WireError): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error }));
}

function wireOf(e: unknown): WireError {
  return e instanceof LecternError ? e.toWire() : { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

async function argsOf(req: IncomingMessage, method: string): Promise<unknown[]> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (method === 'addBytes') {
    if (type !== 'application/octet-stream') throw new LecternError('usage', 'addBytes takes application/octet-stream');
    const header = req.headers['x-lectern-args'];
    const rest: unknown = typeof header === 'string' ? JSON.parse(decodeURIComponent(header)) : null;
    if (!Array.isArray(rest) || rest.length < 1 || rest.length > 2) throw new LecternError('usage', 'X-Lectern-Args must be [fileName, options?]');
    const body = await readBody(req, MAX_UPLOAD_BYTES);
    return [rest[0], new Uint8Array(body.buffer, body.byteOffset, body.byteLength), ...rest.slice(1)];
  }
  if (type !== 'application/json') throw new LecternError('usage', 'API calls take application/json');
  const body: unknown = JSON.parse((await readBody(req, MAX_JSON_BYTES)).toString('utf8'));
  const args = (body as { args?: unknown } | null)?.args;
  if (!Array.isArray(args)) throw new LecternError('usage', 'the body must be {"args": [...]}');
  return args;
}

export async function handleApi(api: LecternApi, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST' });
    res.end();
    return;
  }
  if (!isApiMethod(method)) {
    sendError(res, 404, { code: 'usage', message: `no such method: ${method.slice(0, 40)}` });
    return;
  }
  let args: unknown[];
  try {
    args = await argsOf(req, method);
  } catch (e) {
    if (e instanceof BodyTooLarge) sendError(res, 413, { code: 'too-large', message: 'too large: the upload exceeds 512 MiB' });
    else if (e instanceof SyntaxError || e instanceof URIError) sendError(res, 400, { code: 'usage', message: 'malformed request body' });
    else sendError(res, 400, wireOf(e));
    return;
  }

  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });

  if (method === 'getSource') {
    try {
      const bytes = (await dispatchCall(api, method, args)) as Uint8Array;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.byteLength });
      res.end(bytes);
    } catch (e) {
      sendError(res, e instanceof LecternError && e.code === 'not-found' ? 404 : 400, wireOf(e));
    }
    return;
  }

  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Accel-Buffering': 'no' });
  const event = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data ?? null)}\n\n`);
  try {
    const result = await dispatchCall(api, method, args, { onProgress: (p) => event('progress', p), signal: abort.signal });
    event('result', result);
  } catch (e) {
    event('error', wireOf(e));
  }
  res.end();
}
