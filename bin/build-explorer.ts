// npm run build:explorer: bundles the explorer's browser files now (gateway/explorer/bundle.ts), rather than when a
// gateway first serves /explorer. The Dockerfile runs it while the image is made (the running image cannot write
// its own folder); the tests run it once before their workers start (test/support/explorer-bundle.ts). It also
// removes the bundles of earlier sources, which the gateway leaves in case a running one still serves them.
import { ensureExplorerBundle } from '../gateway/explorer/bundle.ts';

const started = Date.now();
const bundle = await ensureExplorerBundle({ prune: true });
const took = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  bundle.built
    ? `Built the explorer into ${bundle.dir} in ${took} s`
    : `The explorer is up to date in ${bundle.dir}`,
);
