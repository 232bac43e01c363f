// window.lectern in web mode: LecternApi over HTTP to the loopback server (main/web/). One POST
// per call; progress, the result or the error come back as server-sent events on the response;
// aborting the call's signal asks the server to stop it (api/cancel) and ends when it has.
import type { LecternApi, RunOptions } from '../../common/api.js';
import { wireOptions, type ApiMethod } from '../../common/api-methods.js';
import { LecternError, parseWireError } from '../../common/errors.js';
import type { Progress } from '../../common/types.js';

type CallOptions = RunOptions & { password?: string; device?: 'auto' | 'cpu' | 'gpu'; top?: number };

interface CallCancel {
  /** Names the call to the server (X-Lectern-Call), so that a cancel can reach it. */
  callId: string;
  /** Closes the request: the server cancels a call whose request closes. */
  request: AbortController;
  detach(): void;
}

/**
 * Cancelling a call asks the server to stop it and waits for that (the call's stream then ends
 * with its 'cancelled' error), so that the caller's next call sees the library as the cancelled
 * one left it; closing the request instead was answered before a reading had saved where it
 * stopped. The request is closed when the server did not know the call (not started yet) or
 * cannot be reached.
 */
function linkCancel(options: CallOptions | undefined): CallCancel {
  const request = new AbortController();
  const callId = crypto.randomUUID();
  const s = options?.signal;
  const onAbort = (): void => {
    fetch('api/cancel', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ args: [callId] }) })
      .then(async (r) => ((r.ok ? await r.json() : null) as { cancelled?: boolean } | null)?.cancelled === true)
      .catch(() => false)
      .then((stopped) => stopped || request.abort());
  };
  if (s?.aborted) request.abort();
  else s?.addEventListener('abort', onAbort, { once: true });
  return { callId, request, detach: () => s?.removeEventListener('abort', onAbort) };
}

async function failure(res: Response): Promise<LecternError> {
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) {
    const body = (await res.json()) as { error?: unknown };
    return LecternError.fromWire(parseWireError(body.error));
  }
  if (res.status === 401) return new LecternError('usage', 'this page is no longer signed in: open the address Lectern printed');
  return new LecternError('internal', `the server answered ${res.status}`);
}

/** Reads an event-stream response: progress events to `onProgress`, then the result or the error. */
async function readEvents(res: Response, onProgress: ((p: Progress) => void) | undefined): Promise<unknown> {
  if (res.body === null) throw new LecternError('internal', 'empty response');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  // Where the search for the end of a frame resumes: a book's text is one frame of megabytes,
  // arriving in many chunks, and searching it from the start each time was quadratic.
  let scanned = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n', Math.max(0, scanned - 1))) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      scanned = 0;
      const name = /^event: (.*)$/m.exec(frame.slice(0, 40))?.[1];
      const data = frame.slice(frame.indexOf('data: ') + 'data: '.length);
      const parsed: unknown = JSON.parse(data);
      if (name === 'progress') onProgress?.(parsed as Progress);
      else if (name === 'result') return parsed ?? undefined;
      else if (name === 'error') throw LecternError.fromWire(parseWireError(parsed));
    }
    scanned = buffer.length;
  }
  throw new LecternError('engine-crashed', 'the server closed the call without an answer');
}

/** One call as a POST whose answer streams back as events; cancelling the caller's signal cancels it. */
async function post(path: string, headers: Record<string, string>, body: BodyInit, options?: CallOptions): Promise<unknown> {
  const cancel = linkCancel(options);
  try {
    const res = await fetch(path, { method: 'POST', headers: { ...headers, 'X-Lectern-Call': cancel.callId }, body, signal: cancel.request.signal });
    if (!res.ok) throw await failure(res);
    return await readEvents(res, options?.onProgress);
  } catch (e) {
    throw failed(e, options);
  } finally {
    cancel.detach();
  }
}

function call(method: ApiMethod, args: unknown[], options?: CallOptions): Promise<unknown> {
  const wire = options === undefined ? [] : [wireOptions(options)];
  return post(`api/${method}`, { 'Content-Type': 'application/json' }, JSON.stringify({ args: [...args, ...wire] }), options);
}

/** The call's error as the caller sees it: 'cancelled' whenever the caller cancelled. */
function failed(e: unknown, options: CallOptions | undefined): LecternError {
  if (options?.signal?.aborted) return new LecternError('cancelled', 'cancelled');
  if (e instanceof LecternError) return e;
  return new LecternError('engine-crashed', `the Lectern server cannot be reached (${e instanceof Error ? e.message : String(e)})`);
}

function upload(fileName: string, bytes: Uint8Array, options?: CallOptions): Promise<unknown> {
  const headers = {
    'Content-Type': 'application/octet-stream',
    'X-Lectern-Args': encodeURIComponent(JSON.stringify([fileName, wireOptions(options)])),
  };
  // As a Blob: Chromium hands a Blob's bytes to the network process without the main thread;
  // a typed-array body was copied on it (270 ms for the 352-page book, measured 2026-12-05).
  return post('api/addBytes', headers, new Blob([bytes as Uint8Array<ArrayBuffer>]), options);
}

async function source(id: string): Promise<Uint8Array> {
  const res = await fetch('api/getSource', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ args: [id] }) });
  if (!res.ok) throw await failure(res);
  return new Uint8Array(await res.arrayBuffer());
}

export function createWebApi(): LecternApi {
  const c = <T>(method: ApiMethod, args: unknown[], options?: CallOptions) => call(method, args, options) as Promise<T>;
  return {
    info: () => c('info', []),
    listDocuments: () => c('listDocuments', []),
    getDocument: (id) => c('getDocument', [id]),
    getText: (id) => c('getText', [id]),
    getOutline: (id) => c('getOutline', [id]),
    getTextRange: (id, start, end) => c('getTextRange', [id, start, end]),
    addPath: (path, o) => c('addPath', [path], o ?? {}),
    addBytes: (fileName, bytes, o) => upload(fileName, bytes, o) as ReturnType<LecternApi['addBytes']>,
    removeDocument: (id) => c('removeDocument', [id]),
    read: (id, o) => c('read', [id], o ?? {}),
    score: (id, o) => c('score', [id], o ?? {}),
    search: (id, query, top) => c('search', top === undefined ? [id, query] : [id, query, top]),
    ask: (id, question, o) => c('ask', [id, question], o ?? {}),
    summarize: (id, o) => c('summarize', [id], o ?? {}),
    getSource: source,
    getSettings: () => c('getSettings', []),
    updateSettings: (change) => c('updateSettings', [change]),
    clearCache: () => c('clearCache', []),
  };
}
