import type { SubgraphModule } from '../runtime/types.ts';
import { startAuditBackground } from './background.ts';
import { loadSubgraphSdl } from '../runtime/schema-file.ts';
import { registerExport } from './export.ts';
import { permissions } from './permissions.ts';
import { personalData } from './personal-data.ts';
import { resolvers } from './resolvers.ts';
import { seed } from './seed.ts';
import { AuditStore } from './store.ts';

export const audit: SubgraphModule<AuditStore> = {
  name: 'audit',
  typeDefs: loadSubgraphSdl('audit'),
  resolvers,
  permissions,
  personalData,
  migrations: new URL('./migrations/', import.meta.url),
  createStore: (db, settings) => new AuditStore(db, settings?.auditLog),
  seed,
  rowSecurity: true,
  // Checkpoints of the tamper-evident log (docs/AUDIT-LOG.md); none without its settings.
  background: ({ db, settings, logger }) =>
    settings.auditLog ? startAuditBackground(db, settings.auditLog, logger) : undefined,
  routes: registerExport,
};
