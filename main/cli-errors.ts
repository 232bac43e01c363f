// What the CLI says about a failure: one line on stderr, the exit code of ARCHITECTURE §4, and
// with --json the same failure as `{"error": {"code", "message"}}` on stdout, so a script reads
// every outcome from stdout. Codes are common/errors.ts's ErrorCode union.
import { LecternError, exitCodeOf, isRejectionCode, type ErrorCode } from '../common/errors.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, rejected: 3, cancelled: 130 } as const;

export interface CliFailure {
  code: ErrorCode;
  /** The one line for people (the JSON's message). */
  message: string;
  /** What stderr gets: the message, a file's name before a rejection, a stack for a bug. */
  stderr: string;
  exit: number;
}

export function describeFailure(e: unknown, file: string | null): CliFailure {
  if (!(e instanceof LecternError) || e.code === 'internal') {
    // A bug: the stack says where (an error from the engine brings its stack as the detail).
    const message = e instanceof Error ? e.message : String(e);
    const where = e instanceof LecternError ? (e.detail ?? e.message) : e instanceof Error ? (e.stack ?? e.message) : message;
    return { code: 'internal', message, stderr: `internal error: ${where}`, exit: EXIT.internal };
  }
  if (isRejectionCode(e.code)) {
    return { code: e.code, message: e.message, stderr: file === null ? e.message : `${file}: ${e.message}`, exit: EXIT.rejected };
  }
  // A usage error may carry the usage text after a blank line: stderr shows it, the JSON does not.
  if (e.code === 'usage') return { code: 'usage', message: e.message.split('\n')[0], stderr: e.message, exit: EXIT.usage };
  if (e.code === 'cancelled') return { code: 'cancelled', message: 'cancelled', stderr: 'cancelled', exit: EXIT.cancelled };
  // Failures the user can act on without a stack trace (no usable GPU, a broken model folder).
  return { code: e.code, message: e.message, stderr: e.message, exit: exitCodeOf(e.code) };
}

export function reportFailure(failure: CliFailure, json: boolean): number {
  process.stderr.write(`lectern: ${failure.stderr}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message } }, null, 2)}\n`);
  return failure.exit;
}
