// `npm run web`: the desktop app's UI in a browser on 127.0.0.1 (main/web/).
import { runWebMode } from './web/run-web-mode.js';

await runWebMode();
