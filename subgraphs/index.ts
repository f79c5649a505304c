// The four subgraphs by name.
import type { SubgraphName } from '../common/subgraph-names.ts';
import { audit } from './audit/index.ts';
import { documents } from './documents/index.ts';
import { integrations } from './integrations/index.ts';
import { organizations } from './organizations/index.ts';
import type { SubgraphModule } from './runtime/types.ts';

export const SUBGRAPHS: Record<SubgraphName, SubgraphModule<unknown>> = {
  organizations: organizations as SubgraphModule<unknown>,
  integrations: integrations as SubgraphModule<unknown>,
  documents: documents as SubgraphModule<unknown>,
  audit: audit as SubgraphModule<unknown>,
};
