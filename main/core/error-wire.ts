// Errors across a boundary (worker thread, utility process, HTTP). Every error the core throws is
// a LecternError, so its wire form is its code, message and detail; anything else (a bug, a
// library's own error) crosses as 'internal' with its stack as the detail. Coming back, the code
// picks the core's class again, so a caller in Node can still test `instanceof Cancelled`;
// callers elsewhere (renderer, web) get a LecternError and switch on `code`. Fields of a class
// beyond code, message and detail (a ManifestError's folder is its detail) do not cross.
import { errorToWire, LecternError, type ErrorCode, type WireError } from '../../common/errors.js';
import { Cancelled, InputRejected, UsageError } from './errors.js';
import { ManifestError } from './model/manifest.js';
import { DeviceError } from './model/session.js';
import { BpeFormatError } from './model/tokenizer/bpe.js';
import { NotRead, NotScored } from './reading/score.js';
import { DocumentNotFound } from './store/documents.js';

/** The class each code comes back as; codes not listed come back as a plain LecternError. */
const CLASS_OF: Partial<Record<ErrorCode, { prototype: LecternError; name: string }>> = {
  encrypted: InputRejected,
  'wrong-password': InputRejected,
  corrupt: InputRejected,
  scanned: InputRejected,
  empty: InputRejected,
  unsupported: InputRejected,
  'too-large': InputRejected,
  timeout: InputRejected,
  usage: UsageError,
  'bad-path': UsageError,
  cancelled: Cancelled,
  device: DeviceError,
  model: ManifestError,
  tokenizer: BpeFormatError,
  'not-read': NotRead,
  'not-scored': NotScored,
  'not-found': DocumentNotFound,
};

export { errorToWire };

export function errorFromWire(w: WireError): LecternError {
  const e = LecternError.fromWire(w);
  const cls = CLASS_OF[w.code];
  if (cls) {
    // The constructors word their own messages from their fields; the wire already has the
    // message, so the error is made once and given its class.
    Object.setPrototypeOf(e, cls.prototype);
    e.name = cls.name;
  }
  return e;
}
