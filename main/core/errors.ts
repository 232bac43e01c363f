// Errors that reach the user. Each carries a reason code (for programs) and a one-line
// message (for people). The CLI maps InputRejected to exit code 3 and UsageError to 2.

export type RejectionReason =
  | 'encrypted'
  | 'wrong-password'
  | 'corrupt'
  | 'scanned'
  | 'empty'
  | 'unsupported'
  | 'too-large'
  | 'timeout';

export class InputRejected extends Error {
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, message: string) {
    super(message);
    this.name = 'InputRejected';
    this.reason = reason;
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class Cancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
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
