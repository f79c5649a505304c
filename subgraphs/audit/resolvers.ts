import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { platformError } from '../../common/errors.ts';
import { isUuid } from '../../common/identifiers.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { visibleBy } from '../runtime/visibility.ts';
import { myAccessLog } from './my-log.ts';
import { recordRead } from './read-event.ts';
import { snoopingReport } from './report.ts';
import { auditLog } from './search.ts';
import { seesEvent } from './permissions.ts';
import type { AuditEventRow, AuditStore } from './store.ts';
import { tamperQueries, tamperTypes } from './tamper-resolvers.ts';

type Ctx = SubgraphContext<AuditStore>;

const MAX_LIMIT = 500;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    auditEvent: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      isUuid(args.id) ? visibleBy(seesEvent, await ctx.store.event(args.id), ctx) : null,
    ...tamperQueries,
    // Reading the log (issue #10 items 9–11): one file each.
    auditLog,
    snoopingReport,
    myAccessLog,
  },
  AccessLogEntry: {
    organization: (e: { orgnr: string | null }) => (e.orgnr ? { orgnr: e.orgnr } : null),
  },
  ...tamperTypes,
  AuditEvent: {
    __resolveReference: async (ref: { id: string }, ctx: Ctx) =>
      isUuid(ref.id) ? visibleBy(seesEvent, await ctx.store.event(ref.id), ctx) : null,
    organization: (e: AuditEventRow) => (e.orgnr ? { orgnr: e.orgnr } : null),
  },
  Organization: {
    __resolveReference: (ref: { orgnr: string }) => ({ orgnr: ref.orgnr }),
    // The older list: reading it is an AUDIT_READ event too, as the search is (search.ts).
    auditEvents: async (org: { orgnr: string }, args: { limit: number }, ctx: Ctx) => {
      if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > MAX_LIMIT) {
        throw platformError('BAD_USER_INPUT', `limit must be between 1 and ${MAX_LIMIT}.`);
      }
      const events = await ctx.store.forOrganization(org.orgnr, args.limit);
      await recordRead(ctx, {
        orgnr: org.orgnr,
        action: 'AUDIT_READ',
        payload: { query: 'Organization.auditEvents', limit: args.limit, returned: events.length },
      });
      return events;
    },
  },
};
