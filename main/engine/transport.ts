// What carries the engine's messages (protocol.ts), kept apart from the protocol: worker_threads
// today (worker-thread-transport.ts); the Electron app will carry the same messages to an engine
// in a utilityProcess over a MessagePort, since onnxruntime-node has Electron-only crashes inside
// worker threads.
import type { FromEngine, ToEngine } from './protocol.js';

/** The client's end. */
export interface EngineTransport {
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  /** Called at most once, when the engine is gone without having been closed (a crash, a kill). */
  onExit(listener: (reason: string) => void): void;
  /** Whether the engine may keep the caller's process alive (only while calls are pending). */
  setBusy(busy: boolean): void;
  /** Stops the engine at once; what it committed stays committed. */
  terminate(): Promise<void>;
}

/** Starts an engine and returns the client's end of it. */
export type TransportFactory = () => EngineTransport;

/** The engine's end. */
export interface EnginePort {
  post(message: FromEngine): void;
  onMessage(listener: (message: ToEngine) => void): void;
}
