import type { SubgraphModule } from '../runtime/types.ts';
import { loadSubgraphSdl } from '../runtime/schema-file.ts';
import { permissions } from './permissions.ts';
import { personalData } from './personal-data.ts';
import { resolvers } from './resolvers.ts';
import { seed } from './seed.ts';
import { OrganizationsStore } from './store.ts';

export const organizations: SubgraphModule<OrganizationsStore> = {
  name: 'organizations',
  typeDefs: loadSubgraphSdl('organizations'),
  resolvers,
  permissions,
  personalData,
  migrations: new URL('./migrations/', import.meta.url),
  createStore: (db) => new OrganizationsStore(db),
  rowSecurity: true,
  seed,
};
