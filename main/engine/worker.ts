// The engine's worker thread, long-lived: one library connection and the model sessions, kept
// across calls; ingestion, indexing and every model pass happen here, so the caller's event loop
// (a CLI's progress line, the app's windows, the web server) stays free. Started by
// worker-thread-transport.ts.
import { serve } from './serve.js';
import { LibraryService } from './service.js';
import { workerThreadPort } from './worker-thread-transport.js';

const { port, config } = workerThreadPort();
serve(port, () => new LibraryService(config));
