// The renderer's entry: the API comes from the Electron preload (window.lectern) or, in web
// mode, from the HTTP client, which is then installed as window.lectern: one interface either way.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { Api } from './api-context.js';
import './styles.css';
import { createWebApi } from './web-api.js';

const api = window.lectern ?? createWebApi();
window.lectern = api;

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Api.Provider value={api}>
      <App />
    </Api.Provider>
  </StrictMode>,
);
