// A panel's call to the engine: loading, its result, "not yet available" (the API rejects with
// 'unavailable' until that feature lands: shown plainly, never replaced by made-up content) or
// an error.
export type Load<T> =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; value: T }
  | { kind: 'unavailable' }
  | { kind: 'error'; message: string };
