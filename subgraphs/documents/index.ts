import type { SubgraphModule } from '../runtime/types.ts';
import { loadSubgraphSdl } from '../runtime/schema-file.ts';
import { permissions } from './permissions.ts';
import { personalData } from './personal-data.ts';
import { resolvers } from './resolvers.ts';
import { seed } from './seed.ts';
import { DocumentsStore } from './store.ts';

export const documents: SubgraphModule<DocumentsStore> = {
  name: 'documents',
  typeDefs: loadSubgraphSdl('documents'),
  resolvers,
  permissions,
  personalData,
  migrations: new URL('./migrations/', import.meta.url),
  createStore: (db) => new DocumentsStore(db),
  seed,
  rowSecurity: true,
};
