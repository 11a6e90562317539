// Owns start-up: zod configured for our CSP, the stylesheet, the bridge (taking the service-mode token
// out of the address bar before anything renders), i18n, then React.
import './zod-config';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installBridge } from './bridge';
import { initI18n } from './i18n';

const { bridge, connection } = installBridge();

void initI18n().then(() => {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <App bridge={bridge} connection={connection} />
    </StrictMode>,
  );
});
