// web mode's API: one POST endpoint per LecternApi method (/api/<method>). Arguments arrive as
// JSON ({"args": [...]}); addBytes sends the file's raw bytes as the body and its other
// arguments in the X-Lectern-Args header. Results and progress go back as server-sent events
// (progress…, then one result or error event); getSource answers with the bytes themselves.
// Closing the request cancels the call. A page cancels a call it still wants the end of by
// POST /api/cancel with the call's id (sent as X-Lectern-Call), answered once the call has
// stopped: the page's next call then sees the library as the cancelled call left it (a reading's
// last checkpoint saved), as the engine's own client does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LecternApi } from '../../common/api.js';
import { isApiMethod } from '../../common/api-methods.js';
import { LecternError, type WireError } from '../../common/errors.js';
import { dispatchCall } from '../transport/api-dispatch.js';

const MAX_JSON_BYTES = 1 << 20;
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

class BodyTooLarge extends Error {}

const CALL_ID = /^[0-9a-f-]{16,64}$/;

interface RunningCall {
  abort: AbortController;
  ended: Promise<void>;
}

/** Each server's calls that named an id, until they end. */
const runningCalls = new WeakMap<LecternApi, Map<string, RunningCall>>();

function callsOf(api: LecternApi): Map<string, RunningCall> {
  let calls = runningCalls.get(api);
  if (calls === undefined) {
    calls = new Map();
    runningCalls.set(api, calls);
  }
  return calls;
}

/** Stops the named call and answers when it has ended; an unknown id (already ended) is answered at once. */
async function handleCancel(api: LecternApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let id: unknown;
  try {
    if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/json') throw new LecternError('usage', 'cancel takes application/json');
    id = ((JSON.parse((await readBody(req, 1024)).toString('utf8')) as { args?: unknown[] } | null)?.args ?? [])[0];
  } catch (e) {
    sendError(res, 400, e instanceof LecternError ? e.toWire() : { code: 'usage', message: 'malformed request body' });
    return;
  }
  if (typeof id !== 'string' || !CALL_ID.test(id)) {
    sendError(res, 400, { code: 'usage', message: 'cancel takes {"args": [callId]}' });
    return;
  }
  const call = callsOf(api).get(id);
  call?.abort.abort();
  await call?.ended;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ cancelled: call !== undefined }));
}

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
  if (method === 'cancel') return handleCancel(api, req, res);
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

  const callId = req.headers['x-lectern-call'];
  const named = typeof callId === 'string' && CALL_ID.test(callId) && !callsOf(api).has(callId) ? callId : null;
  let ended = (): void => undefined;
  if (named !== null) callsOf(api).set(named, { abort, ended: new Promise((resolve) => (ended = resolve)) });
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Accel-Buffering': 'no' });
  const event = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data ?? null)}\n\n`);
  try {
    const result = await dispatchCall(api, method, args, { onProgress: (p) => event('progress', p), signal: abort.signal });
    event('result', result);
  } catch (e) {
    event('error', wireOf(e));
  } finally {
    if (named !== null) callsOf(api).delete(named);
    ended();
  }
  res.end();
}
