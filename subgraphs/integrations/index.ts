import type { SubgraphModule } from '../runtime/types.ts';
import { loadSubgraphSdl } from '../runtime/schema-file.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers.ts';
import { seed } from './seed.ts';
import { IntegrationsStore } from './store.ts';

export const integrations: SubgraphModule<IntegrationsStore> = {
  name: 'integrations',
  typeDefs: loadSubgraphSdl('integrations'),
  resolvers,
  permissions,
  migrations: new URL('./migrations/', import.meta.url),
  createStore: (db) => new IntegrationsStore(db),
  rowSecurity: true,
  seed,
};
