import { createContext, useContext } from 'react';
import type { LecternApi } from '../../common/api.js';
import { LecternError } from '../../common/errors.js';

export const Api = createContext<LecternApi | null>(null);

export function useApi(): LecternApi {
  const api = useContext(Api);
  if (api === null) throw new Error('no LecternApi in context');
  return api;
}

/** A rejection as a LecternError (anything else becomes 'internal'). */
export function asLecternError(e: unknown): LecternError {
  if (e instanceof LecternError) return e;
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') {
    const o = e as { code: LecternError['code']; message?: string };
    return new LecternError(o.code, o.message ?? o.code);
  }
  return new LecternError('internal', e instanceof Error ? e.message : String(e));
}
