// vitest's globalSetup: builds the explorer's bundle (gateway/explorer/bundle.ts) once, before any test worker
// starts a gateway, so no test waits on a build and parallel workers never build it side by side. On a machine
// where it is up to date this only hashes its sources.
import { ensureExplorerBundle } from '../../gateway/explorer/bundle.ts';

export default async function buildExplorerOnce(): Promise<void> {
  await ensureExplorerBundle();
}
