// Errors that reach the user. Each is a LecternError (common/errors.ts): a code from the one
// ErrorCode union (for programs, and what crosses threads and processes) and a one-line message
// (for people). The CLI maps codes to exit codes (exitCodeOf): a rejection 3, usage 2.
import { LecternError, type RejectionCode } from '../../common/errors.js';

export type RejectionReason = RejectionCode;

export class InputRejected extends LecternError {
  declare readonly code: RejectionReason;
  constructor(reason: RejectionReason, message: string) {
    super(reason, message);
    this.name = 'InputRejected';
  }

  /** The rejection's reason: the same value as its code. */
  get reason(): RejectionReason {
    return this.code;
  }
}

export class UsageError extends LecternError {
  /** `bad-path`: the file named does not exist or is not a file; `usage`: anything else. */
  constructor(message: string, code: 'usage' | 'bad-path' = 'usage') {
    super(code, message);
    this.name = 'UsageError';
  }
}

export class Cancelled extends LecternError {
  constructor(message = 'cancelled') {
    super('cancelled', message);
    this.name = 'Cancelled';
  }
}

/**
 * The error a fired signal stands for: its reason when that is a Cancelled (the CLI's
 * "interrupted", an app's own wording), else a plain Cancelled.
 */
export function cancelledBy(signal: AbortSignal): Cancelled {
  const reason: unknown = signal.reason;
  return reason instanceof Cancelled ? reason : new Cancelled();
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledBy(signal);
}

/** Standard messages, so every ingester words the same situation the same way. */
/**
 * A parser's error message as the reason in a one-line rejection ("corrupt: <reason>"): its first
 * line, whitespace collapsed, no closing period, lower-case first letter, at most 100 characters.
 */
export function parserReason(message: string, fallback: string): string {
  const line = message.split('\n')[0].trim().replace(/\s+/g, ' ').replace(/\.$/, '');
  if (!line) return fallback;
  const text = line[0].toLowerCase() + line.slice(1);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

export const rejections = {
  encrypted: () => new InputRejected('encrypted', 'encrypted: password required'),
  wrongPassword: () => new InputRejected('wrong-password', 'encrypted: incorrect password'),
  corrupt: (detail: string) => new InputRejected('corrupt', `corrupt: ${detail}`),
  scanned: () => new InputRejected('scanned', 'no text layer (scanned pages)'),
  empty: () => new InputRejected('empty', 'empty'),
  unsupported: (detail: string) => new InputRejected('unsupported', `unsupported format: ${detail}`),
  tooLarge: (detail: string) => new InputRejected('too-large', `too large: ${detail}`),
  timeout: (detail: string) => new InputRejected('timeout', `timed out: ${detail}`),
};
