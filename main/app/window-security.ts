// The window's and the session's locks: no navigation or redirect away from the app, no new
// windows (links to the web open in the user's browser instead), no <webview>, every permission
// request (camera, microphone, notifications, …) denied, and no request to anything but the
// app's own scheme (no remote content). Written against the few Electron methods they use, so
// tests can feed them hostile input without the Electron binary.
import { isAppUrl } from './app-scheme.js';

interface PreventableEvent {
  preventDefault(): void;
}

export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (e: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardedSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
  webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void;
  };
}

/** Web links the user clicks open in their browser, never inside the app. */
export function isExternalWebLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** URLs the app's pages may load: its own scheme, and the blob:/data: URLs pdf.js and downloads make. */
export function isAllowedRequest(url: string): boolean {
  return isAppUrl(url) || url.startsWith('blob:lectern://app/') || url.startsWith('devtools:');
}

export function guardContents(contents: GuardedContents, openExternal: (url: string) => void): void {
  const stayInApp = (e: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) e.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export function guardSession(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
}
