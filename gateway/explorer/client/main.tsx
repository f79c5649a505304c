// The explorer page's entry module (bundled by ../bundle.ts). The imports run in this order: the style nonce before
// anything creates a <style>, Monaco's worker locations before Monaco loads, then the styles and the app.
import './style-nonce.ts';
import './workers.ts';
import 'graphiql/style.css';
import './explorer.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Explorer } from './explorer.tsx';

const root = document.getElementById('explorer');
if (!root) throw new Error('the explorer page has no #explorer element');
createRoot(root).render(
  <StrictMode>
    <Explorer />
  </StrictMode>,
);
