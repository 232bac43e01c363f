// The app is served from its own privileged scheme (lectern://app/…), not file://: a file:// page
// may read any file the user can, and every file:// page shares one origin. The handler serves
// the built renderer's files only, with the CSP on every response.
import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../transport/content-policy.js';
import { contentTypeOf, resolveStaticPath } from '../web/static-files.js';

export const APP_SCHEME = 'lectern';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Whether a URL is one of the app's own pages or files. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

function refuse(status: number): Response {
  return new Response(null, { status, headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
}

/** protocol.handle's handler for the app scheme, serving files under `rendererDir` (a real path). */
export function appSchemeHandler(rendererDir: string): (request: { url: string; method: string }) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404);
    const file = resolveStaticPath(rendererDir, url.pathname);
    if (file === null) return refuse(404);
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeOf(file), 'Cache-Control': 'no-store' },
    });
  };
}
