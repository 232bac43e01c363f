// What the CLI says about a failure: one line on stderr, the exit code of ARCHITECTURE §4, and
// with --json the same failure as `{"error": {"code", "message"}}` on stdout, so a script reads
// every outcome from stdout. Codes are common/errors.ts's ErrorCode union.
import { LecternError, exitCodeOf, type ErrorCode } from '../common/errors.js';
import { Cancelled, InputRejected, UsageError } from './core/errors.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, rejected: 3, cancelled: 130 } as const;

/**
 * Failures the user can act on without a stack trace (no usable GPU, a broken model folder):
 * exit 1 like any failure, but with the message alone. Matched by name because errors from the
 * reading worker cross the thread boundary as name + message.
 */
const PLAIN_FAILURES: Record<string, ErrorCode> = {
  DeviceError: 'device',
  ManifestError: 'model',
  BpeFormatError: 'model',
  NotRead: 'not-read',
  DocumentNotFound: 'not-found',
};

export interface CliFailure {
  code: ErrorCode;
  /** The one line for people (the JSON's message). */
  message: string;
  /** What stderr gets: the message, a file's name before a rejection, a stack for a bug. */
  stderr: string;
  exit: number;
}

export function describeFailure(e: unknown, file: string | null): CliFailure {
  if (e instanceof LecternError) return { code: e.code, message: e.message, stderr: e.message, exit: exitCodeOf(e.code) };
  if (e instanceof InputRejected) {
    return { code: e.reason, message: e.message, stderr: file === null ? e.message : `${file}: ${e.message}`, exit: EXIT.rejected };
  }
  // A usage error may carry the usage text after a blank line: stderr shows it, the JSON does not.
  if (e instanceof UsageError) return { code: 'usage', message: e.message.split('\n')[0], stderr: e.message, exit: EXIT.usage };
  if (e instanceof Cancelled) return { code: 'cancelled', message: 'cancelled', stderr: 'cancelled', exit: EXIT.cancelled };
  if (e instanceof Error && Object.hasOwn(PLAIN_FAILURES, e.name)) {
    // Exit 1 as before these had codes (a missing reading is the engine's state, not bad usage).
    return { code: PLAIN_FAILURES[e.name], message: e.message, stderr: e.message, exit: EXIT.internal };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message, stderr: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : message}`, exit: EXIT.internal };
}

export function reportFailure(failure: CliFailure, json: boolean): number {
  process.stderr.write(`lectern: ${failure.stderr}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message } }, null, 2)}\n`);
  return failure.exit;
}
