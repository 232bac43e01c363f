// The engine's process (Electron's utilityProcess): the model and the store run here, out of
// the UI's process, because onnxruntime-node has Electron-only crashes inside worker_threads and
// a crash here loses one process, not the window. The main process hands it a MessagePort.
// The engine's service runs in this process itself (no worker thread inside it).
import { LibraryService } from '../engine/service.js';
import { serveApi, type PortLike } from '../transport/port-rpc.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort === undefined) throw new Error('engine-process.js runs only as an Electron utilityProcess');

const dbPath = process.env.LECTERN_DB;
if (!dbPath) throw new Error('LECTERN_DB must name the library file');
const api = new LibraryService({ dbPath });

parentPort.on('message', (e) => {
  const port = e.ports[0] as (PortLike & { start(): void }) | undefined;
  if (port === undefined) return;
  serveApi(port, api);
  port.start();
});
