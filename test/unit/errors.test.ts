// Every error class the core throws crosses a boundary (worker thread, process, HTTP) as its wire
// form and comes back with the same code, message and detail, as the same class in Node and as a
// LecternError anywhere; the CLI's exit code follows the code alone.
import { describe, expect, it } from 'vitest';
import { exitCodeOf, LecternError, parseWireError, type ErrorCode } from '../../common/errors.js';
import { errorFromWire, errorToWire } from '../../main/core/error-wire.js';
import { Cancelled, InputRejected, rejections, UsageError } from '../../main/core/errors.js';
import { ManifestError } from '../../main/core/model/manifest.js';
import { DeviceError } from '../../main/core/model/session.js';
import { BpeFormatError } from '../../main/core/model/tokenizer/bpe.js';
import { NotRead, NotScored } from '../../main/core/reading/score.js';
import { DocumentNotFound } from '../../main/core/store/documents.js';

/** Through JSON, as every transport carries it, and parsed as untrusted input. */
function roundTrip(e: unknown): LecternError {
  return errorFromWire(parseWireError(JSON.parse(JSON.stringify(errorToWire(e)))));
}

const cases: { error: LecternError; cls: abstract new (...args: never[]) => LecternError; code: ErrorCode; exit: number }[] = [
  { error: rejections.encrypted(), cls: InputRejected, code: 'encrypted', exit: 3 },
  { error: rejections.wrongPassword(), cls: InputRejected, code: 'wrong-password', exit: 3 },
  { error: rejections.corrupt('bad xref'), cls: InputRejected, code: 'corrupt', exit: 3 },
  { error: rejections.scanned(), cls: InputRejected, code: 'scanned', exit: 3 },
  { error: rejections.empty(), cls: InputRejected, code: 'empty', exit: 3 },
  { error: rejections.unsupported('image/png'), cls: InputRejected, code: 'unsupported', exit: 3 },
  { error: rejections.tooLarge('300 MiB'), cls: InputRejected, code: 'too-large', exit: 3 },
  { error: new UsageError('--top needs a number'), cls: UsageError, code: 'usage', exit: 2 },
  { error: new UsageError('no such file: x.pdf', 'bad-path'), cls: UsageError, code: 'bad-path', exit: 2 },
  { error: new Cancelled('interrupted'), cls: Cancelled, code: 'cancelled', exit: 130 },
  { error: new DeviceError('no GPU provider on this machine'), cls: DeviceError, code: 'device', exit: 1 },
  { error: new ManifestError('/models/x', 'missing d_model'), cls: ManifestError, code: 'model', exit: 1 },
  { error: new BpeFormatError('tokenizer.json', 'no merges'), cls: BpeFormatError, code: 'tokenizer', exit: 1 },
  { error: new NotRead(7, 'lectern-mamba2-7m-v6'), cls: NotRead, code: 'not-read', exit: 1 },
  { error: new NotScored(7, 'lectern-mamba2-7m-v6'), cls: NotScored, code: 'not-scored', exit: 1 },
  { error: new DocumentNotFound(12345), cls: DocumentNotFound, code: 'not-found', exit: 1 },
];

describe('error wire form', () => {
  it.each(cases)('$code ($error.name) comes back as the same class with its message', ({ error, cls, code, exit }) => {
    expect(error.code).toBe(code);
    const back = roundTrip(error);
    expect(back).toBeInstanceOf(cls);
    expect(back).toBeInstanceOf(LecternError);
    expect(back.code).toBe(code);
    expect(back.message).toBe(error.message);
    expect(back.detail).toBe(error.detail);
    expect(back.name).toBe(error.name);
    expect(exitCodeOf(back.code)).toBe(exit);
  });

  it('keeps a rejection reason as the code', () => {
    const back = roundTrip(rejections.corrupt('bad xref')) as InputRejected;
    expect(back.reason).toBe('corrupt');
    expect(back.message).toBe('corrupt: bad xref');
  });

  it('carries a foreign error as internal with its stack as the detail', () => {
    const back = roundTrip(new TypeError('x is undefined'));
    expect(back.code).toBe('internal');
    expect(back.message).toBe('x is undefined');
    expect(back.detail).toMatch(/TypeError: x is undefined\n\s+at /);
    expect(exitCodeOf(back.code)).toBe(1);
    expect(roundTrip('thrown string')).toMatchObject({ code: 'internal', message: 'thrown string' });
  });

  it('turns a malformed wire error into internal, never into a trusted code', () => {
    expect(parseWireError({ code: 'no-such-code', message: 'x' })).toEqual({ code: 'internal', message: 'malformed error' });
    expect(parseWireError(null).code).toBe('internal');
    expect(parseWireError({ code: 'usage', message: 3 }).code).toBe('internal');
    expect(parseWireError({ code: 'usage', message: 'm', detail: 4 })).toEqual({ code: 'usage', message: 'm' });
  });

  it('round-trips engine-crashed and internal through the common form alone', () => {
    for (const code of ['engine-crashed', 'internal'] as const) {
      const e = new LecternError(code, 'the engine stopped', 'exit code 134');
      expect(LecternError.fromWire(parseWireError(JSON.parse(JSON.stringify(e.toWire()))))).toMatchObject({ code, message: e.message, detail: 'exit code 134' });
    }
  });
});
