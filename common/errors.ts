// Every error a front end can meet, as one code union with a user-facing message. Errors cross
// threads, processes and HTTP in their wire form ({code, message, detail}) and come back as the
// same class, so a caller can switch on `code` wherever it runs.

/** Why an input was refused (CLI exit 3); the core's InputRejected carries one as its code. */
export type RejectionCode =
  | 'encrypted'
  | 'wrong-password'
  | 'corrupt'
  | 'scanned'
  | 'empty'
  | 'unsupported'
  | 'too-large'
  | 'timeout';

export type ErrorCode =
  | RejectionCode
  // The request was wrong (the CLI exits 2 for usage and bad-path, see USAGE_CODES).
  | 'usage'
  | 'bad-path'
  | 'not-found'
  | 'not-read'
  | 'not-scored'
  // The run stopped or the machine could not do it (CLI exit 1 or 130).
  | 'cancelled'
  | 'device'
  // The model's folder is unusable: its manifest ('model') or its tokenizer file ('tokenizer').
  | 'model'
  | 'tokenizer'
  | 'engine-crashed'
  // A feature this build does not offer yet (the UI shows a plain "not yet available" state).
  | 'unavailable'
  | 'internal';

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Anything a program may want (a reason code, a path); never shown as the message. */
  detail?: string;
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'encrypted', 'wrong-password', 'corrupt', 'scanned', 'empty', 'unsupported', 'too-large', 'timeout',
  'usage', 'bad-path', 'not-found', 'not-read', 'not-scored',
  'cancelled', 'device', 'model', 'tokenizer', 'engine-crashed', 'unavailable', 'internal',
]);

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && CODES.has(x);
}

/** The input was refused: the message is the one-line reason ("encrypted: password required"). */
export const REJECTION_CODES: ReadonlySet<ErrorCode> = new Set<RejectionCode>([
  'encrypted', 'wrong-password', 'corrupt', 'scanned', 'empty', 'unsupported', 'too-large', 'timeout',
]);
export function isRejectionCode(code: ErrorCode): code is RejectionCode {
  return REJECTION_CODES.has(code);
}
/**
 * Mistakes in the request. A document that is not in the library, not read or not scored is a
 * caller's mistake through the API, but the CLI always adds and reads first, so for it they are
 * internal failures (exit 1), as they were before the engine.
 */
export const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['usage', 'bad-path']);

/** An error with a code, a user-facing message and a wire form. */
export class LecternError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'LecternError';
    this.code = code;
    this.detail = detail;
  }

  toWire(): WireError {
    return this.detail === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, detail: this.detail };
  }

  static fromWire(w: WireError): LecternError {
    return new LecternError(w.code, w.message, w.detail);
  }
}

/**
 * Any thrown value in wire form: a LecternError as itself; anything else (a bug, a library's own
 * error) as 'internal' with its stack as the detail.
 */
export function errorToWire(e: unknown): WireError {
  if (e instanceof LecternError) return e.toWire();
  if (e instanceof Error) return { code: 'internal', message: e.message, detail: e.stack ?? e.message };
  return { code: 'internal', message: String(e) };
}

/** Parses an untrusted wire error (from JSON, IPC); anything malformed becomes 'internal'. */
export function parseWireError(x: unknown): WireError {
  if (typeof x === 'object' && x !== null) {
    const o = x as Record<string, unknown>;
    if (isErrorCode(o.code) && typeof o.message === 'string') {
      return typeof o.detail === 'string' ? { code: o.code, message: o.message, detail: o.detail } : { code: o.code, message: o.message };
    }
  }
  return { code: 'internal', message: 'malformed error' };
}

/** The CLI's exit code for an error code (ARCHITECTURE §4). */
export function exitCodeOf(code: ErrorCode): number {
  if (REJECTION_CODES.has(code)) return 3;
  if (USAGE_CODES.has(code)) return 2;
  if (code === 'cancelled') return 130;
  return 1;
}
