// Errors that reach the user. Each carries a reason code (for programs) and a one-line
// message (for people). The CLI maps InputRejected to exit code 3 and UsageError to 2.

export type RejectionReason =
  | 'encrypted'
  | 'wrong-password'
  | 'corrupt'
  | 'scanned'
  | 'empty'
  | 'unsupported'
  | 'too-large';

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

/** Standard messages, so every ingester words the same situation the same way. */
export const rejections = {
  encrypted: () => new InputRejected('encrypted', 'encrypted: password required'),
  wrongPassword: () => new InputRejected('wrong-password', 'encrypted: incorrect password'),
  corrupt: (detail: string) => new InputRejected('corrupt', `corrupt: ${detail}`),
  scanned: () => new InputRejected('scanned', 'no text layer (scanned pages)'),
  empty: () => new InputRejected('empty', 'empty'),
  unsupported: (detail: string) => new InputRejected('unsupported', `unsupported format: ${detail}`),
  tooLarge: (detail: string) => new InputRejected('too-large', `too large: ${detail}`),
};
