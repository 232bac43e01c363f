// What the bundler and the preload add to the page.
import type { LecternApi } from '../../common/api.js';

declare global {
  interface Window {
    /** The Electron preload defines it; in web mode main.tsx sets it to the HTTP client. */
    lectern?: LecternApi;
  }
}
