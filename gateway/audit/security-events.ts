// The gateway's security events in the audit log (issue #10 item 4, FIKS-FACTS §7), service `gateway`:
//
//   LOGIN, LOGOUT                      one event each, for the person (payload: acr, source, via); a login is stored
//                                      before its session cookie leaves (gateway/session/routes.ts)
//   LOGIN_FAILED                       counted per client address and window (payload: source, count, reasons)
//   INTEGRATION_AUTHENTICATION_FAILED  counted per client address and claimed integration id (when it is a UUID)
//   OPERATION_REFUSED                  counted per actor (or, unauthenticated, per address) and code, with the
//                                      distinct operation names and refused fields
//
// Everything counted goes through one failure window (auditlog/failure-window.ts), so a flood is one event per
// source and window. Unauthenticated sources are actor ANONYMOUS, id `-`: no actor is known, and what they claimed
// is not who they are. Never a token, password, cookie or session id: events are built only from the values below.
import type { Principal } from '../../access/principal.ts';
import { auditActor } from '../../auditlog/event.ts';
import {
  ANONYMOUS_ACTOR,
  createFailureWindow,
  type CountedEvent,
  type FailureWindow,
} from '../../auditlog/failure-window.ts';
import { createGroupCommitter, type AuditAppender } from '../../auditlog/group-commit.ts';
import { isUuid } from '../../common/identifiers.ts';
import type { Logger } from '../../common/logger.ts';
import type { Queryable } from '../../db/database.ts';
import type { SessionAudit } from '../session/audit.ts';

export const SERVICE = 'gateway';

export interface SecurityEventOptions {
  /** @default 60000 */
  windowMs: number;
  /** @default 1000 */
  maxSources: number;
  now?: () => number;
}

/** An operation refused at the gateway, by whom (when authenticated) or from where. */
export interface Refusal {
  code: string;
  /** The client address; what an unauthenticated refusal is counted by. */
  source?: string;
  /** The verified caller; undefined when authentication itself failed. */
  principal?: Principal;
  reason?: string;
  /** The operation's name, as parsed from the document (a GraphQL name, never free text). */
  operation?: string | null;
  /** The refused fields: `Type.field` coordinates, or the response path where no coordinate is known. */
  fields?: readonly string[];
  requestId?: string;
}

export interface SecurityEvents extends SessionAudit {
  integrationAuthenticationFailed(source: string, claimedId: string | undefined, reason: string): void;
  operationRefused(refusal: Refusal): void;
  /** Writes the counted events whose window has closed (all of them, with `all`). */
  flush(options?: { all?: boolean }): Promise<void>;
  /** Writes every counted event; called when the gateway closes. */
  close(): Promise<void>;
}

/** The organisation whose log an authenticated actor's event belongs to: the one it acts for, if any. */
function orgnrOf(principal: Principal): string | null {
  return principal.kind === 'person' ? (principal.actingFor?.orgnr ?? null) : principal.orgnr;
}

export function createSecurityEvents(
  db: Queryable,
  logger: Logger,
  options: SecurityEventOptions,
  appender: AuditAppender = createGroupCommitter(db),
): SecurityEvents {
  const window: FailureWindow = createFailureWindow({
    appender,
    service: SERVICE,
    windowMs: options.windowMs,
    maxSources: options.maxSources,
    now: options.now,
    onWriteError: (error, events) =>
      logger.error(
        { err: error instanceof Error ? { name: error.name } : undefined, events },
        'security events not audited',
      ),
  });
  const count = (event: CountedEvent) => window.record(event);
  const person = (pid: string) => ({ actorType: 'PERSON' as const, actorId: pid, onBehalfOf: null });

  return {
    login({ pid, acr, requestId, source }) {
      return appender.append([
        {
          ...person(pid),
          orgnr: null,
          service: SERVICE,
          action: 'LOGIN',
          requestId,
          payload: { acr, source },
        },
      ]);
    },
    logout({ pid, requestId, source, via }) {
      return appender.append([
        {
          ...person(pid),
          orgnr: null,
          service: SERVICE,
          action: 'LOGOUT',
          requestId,
          payload: { source, via },
        },
      ]);
    },
    loginFailed(source, reason) {
      count({ action: 'LOGIN_FAILED', actor: ANONYMOUS_ACTOR, orgnr: null, key: { source }, reason });
    },
    integrationAuthenticationFailed(source, claimedId, reason) {
      // The id is not a secret and says which integration is attacked; anything but a UUID is the caller's text.
      const integrationId = claimedId !== undefined && isUuid(claimedId) ? claimedId : null;
      count({
        action: 'INTEGRATION_AUTHENTICATION_FAILED',
        actor: ANONYMOUS_ACTOR,
        orgnr: null,
        key: { source, integrationId },
        reason,
      });
    },
    operationRefused(refusal) {
      const { principal } = refusal;
      const details: Record<string, readonly string[]> = {};
      if (refusal.operation) details.operations = [refusal.operation];
      if (refusal.fields?.length) details.fields = refusal.fields;
      count({
        action: 'OPERATION_REFUSED',
        actor: principal ? auditActor(principal) : ANONYMOUS_ACTOR,
        orgnr: principal ? orgnrOf(principal) : null,
        // An authenticated actor is named; an unauthenticated caller is only where it came from.
        key: principal ? { code: refusal.code } : { code: refusal.code, source: refusal.source ?? null },
        reason: refusal.reason,
        details,
        requestId: refusal.requestId,
      });
    },
    flush: (flushOptions) => window.flush(flushOptions),
    close: () => window.close(),
  };
}
