// The real engine worker (main/engine/worker.ts) with one way to die as a crash would, without a
// word to its client: a {type: 'die'} message makes it exit from JavaScript between two model
// calls. (Terminating the thread from outside while onnxruntime runs a call can abort the whole
// process instead: a Napi::Error during teardown.) Compiled to dist/test/support/dying-engine.js.
import { parentPort } from 'node:worker_threads';

// After the engine's own listener: a listener added first would take the messages that arrive
// while the engine loads, and they would never reach it.
await import('../../main/engine/worker.js');
parentPort?.on('message', (m: { type?: string }) => {
  if (m.type === 'die') process.exit(70);
});
