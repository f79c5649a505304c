import type { SubgraphModule } from '../runtime/types.ts';
import { loadSubgraphSdl } from '../runtime/schema-file.ts';
import { registerContentRoutes } from './content-routes.ts';
import { permissions } from './permissions.ts';
import { personalData } from './personal-data.ts';
import { startPurge } from './purge.ts';
import { openDocumentResources, type DocumentResources } from './resources.ts';
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
  createStore: (db, settings) =>
    new DocumentsStore(db, { linkTtlSeconds: settings?.documents?.linkTtlSeconds }),
  open: openDocumentResources,
  routes: (app, contextFor, resources) =>
    registerContentRoutes(app, contextFor, resources as DocumentResources),
  background: ({ db, logger, resources }) => startPurge(db, resources as DocumentResources, logger),
  seed,
  rowSecurity: true,
};
