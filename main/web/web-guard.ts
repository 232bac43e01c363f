// Who may talk to the loopback server. Binding 127.0.0.1 keeps other machines out but not other
// local users or web pages: a page in any browser tab can send requests to 127.0.0.1, and a
// hostile DNS name can be re-pointed at it (DNS rebinding). So every request must
//  - name this server in its Host header (a loopback name with the right port: a rebinding
//    attack's requests carry the attacker's host name),
//  - carry the per-run token, once in the printed URL (swapped for an HttpOnly SameSite=Strict
//    cookie, so it leaves the address bar and other sites' requests never carry it) and then in
//    that cookie,
//  - and, unless it only reads (GET/HEAD), come from this server's own origin.
import { timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'lectern_session';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export type GuardVerdict =
  | { kind: 'allow' }
  /** The URL carried the right token: set the cookie and redirect to `location` (the URL without it). */
  | { kind: 'login'; location: string }
  | { kind: 'deny'; status: 400 | 401 | 403; reason: string };

export interface GuardRequest {
  method: string;
  url: string;
  host: string | undefined;
  origin: string | undefined;
  cookie: string | undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The value of one cookie in a Cookie header; null when absent. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && LOOPBACK_NAMES.some((name) => host.toLowerCase() === `${name}:${port}`);
}

export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && LOOPBACK_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
}

export function checkRequest(req: GuardRequest, token: string, port: number): GuardVerdict {
  if (!isAllowedHost(req.host, port)) return { kind: 'deny', status: 403, reason: 'unexpected Host header' };
  let url: URL;
  try {
    url = new URL(req.url, `http://127.0.0.1:${port}`);
  } catch {
    return { kind: 'deny', status: 400, reason: 'bad request URL' };
  }
  const cookie = cookieValue(req.cookie, COOKIE_NAME);
  const cookieOk = cookie !== null && sameSecret(cookie, token);
  const queryToken = url.searchParams.get('token');
  if (!cookieOk) {
    if (queryToken === null || !sameSecret(queryToken, token)) return { kind: 'deny', status: 401, reason: 'missing or wrong token' };
    if (req.method !== 'GET') return { kind: 'deny', status: 401, reason: 'the token is accepted on GET only' };
  }
  if (req.method !== 'GET' && req.method !== 'HEAD' && !isAllowedOrigin(req.origin, port)) {
    return { kind: 'deny', status: 403, reason: 'cross-origin request' };
  }
  if (queryToken !== null) {
    url.searchParams.delete('token');
    return { kind: 'login', location: url.pathname + url.search };
  }
  return { kind: 'allow' };
}

export function sessionCookie(token: string): string {
  return `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
