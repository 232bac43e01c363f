// The one Content-Security-Policy of the UI, sent on every response in web mode and on every
// response of the Electron app's scheme. Scripts and everything else come from the app's own
// origin only; 'wasm-unsafe-eval' is there for pdf.js's wasm image decoders (JBIG2, JPEG 2000,
// colour profiles) and allows compiling WebAssembly, not eval. No inline scripts or styles, no
// remote anything; blob: images are pdf.js's decoded images.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every UI response carries besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), display-capture=()',
};
