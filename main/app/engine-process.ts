// The engine's process (Electron's utilityProcess): the model and the store run here, out of
// the UI's process, because onnxruntime-node has Electron-only crashes inside worker_threads and
// a crash here loses one process, not the window. The main process hands it a MessagePort.
// TODO-free note for the merge: the LecternApi served here becomes the engine's own
// implementation (main/engine/) in place of the temporary adapter.
import { DevApi } from '../web/dev-api.js';
import { serveApi, type PortLike } from '../transport/port-rpc.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort === undefined) throw new Error('engine-process.js runs only as an Electron utilityProcess');

const dbPath = process.env.LECTERN_DB;
if (!dbPath) throw new Error('LECTERN_DB must name the library file');
const api = new DevApi(dbPath);

parentPort.on('message', (e) => {
  const port = e.ports[0] as (PortLike & { start(): void }) | undefined;
  if (port === undefined) return;
  serveApi(port, api);
  port.start();
});
