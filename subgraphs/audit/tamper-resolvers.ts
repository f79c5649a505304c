// Resolvers of the tamper-evident log (docs/AUDIT-LOG.md): whole-log verification for platform operators, an event's
// inclusion proof for those who may see the event, and the public key. Each runs on the request's store, as the
// caller: the database answers the proof only for an event the caller sees, and the whole log only to an operator.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { AuditLogSettings } from '../../common/config.ts';
import { FORBIDDEN_MESSAGE, platformError } from '../../common/errors.ts';
import { isUuid } from '../../common/identifiers.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { visibleBy } from '../runtime/visibility.ts';
import type { SealedField } from './canonical-event.ts';
import { trustedKeys } from './checkpoint.ts';
import { disclosureOf, eventProof, type EventProof } from './event-proof.ts';
import { seesEvent } from './permissions.ts';
import { auditKeyOf } from './signing-key.ts';
import type { AuditStore } from './store.ts';
import { verifyAuditLog } from './verify.ts';
import { readWitness } from './witness.ts';

type Ctx = SubgraphContext<AuditStore>;

function settingsOf(ctx: Ctx): AuditLogSettings {
  const settings = ctx.store.auditLog;
  if (!settings)
    throw platformError('SERVICE_UNAVAILABLE', 'The audit log’s checkpoints are not configured here.');
  return settings;
}

const opened = (field: SealedField) => (proof: EventProof) => disclosureOf(proof, field);

export const tamperQueries = {
  auditLogVerification: async (_: unknown, __: unknown, ctx: Ctx) => {
    const settings = settingsOf(ctx);
    const key = await auditKeyOf(settings);
    try {
      return await verifyAuditLog(ctx.store.verification, {
        keys: trustedKeys(key),
        witness: await readWitness(settings.witnessFile),
      });
    } catch (error) {
      // The database's own check (audit.assert_may_verify) refused: the same answer as the rule's.
      if ((error as { code?: unknown }).code === '42501') throw platformError('FORBIDDEN', FORBIDDEN_MESSAGE);
      throw error;
    }
  },
  auditEventProof: async (_: unknown, args: { id: string }, ctx: Ctx) =>
    isUuid(args.id) ? visibleBy(seesEvent, await eventProof(ctx.store.proofs, args.id), ctx) : null,
  auditLogKey: async (_: unknown, __: unknown, ctx: Ctx) => {
    const key = await auditKeyOf(settingsOf(ctx));
    return { keyId: key.keyId, publicKey: key.publicJwk };
  },
};

export const tamperTypes: GraphQLResolverMap<Ctx> = {
  AuditEventProof: {
    actorId: opened('actorId'),
    onBehalfOf: opened('onBehalfOf'),
    dataSubject: opened('dataSubject'),
    payload: opened('payload'),
  },
};
