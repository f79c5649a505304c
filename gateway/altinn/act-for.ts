// The act-for policy: a person may act for an organisation only while Altinn lists roles for them there
// (FIKS-FACTS §4, KSDOC `Felles/sikkerhet.md`). Every failure to ask Altinn refuses the request: without roles the
// gateway never lets a person act for anyone (fail closed).
//
// Caching trade-off: a person's parties are reused for `cacheSeconds` (default 60 s), including the answer "no
// role there". So a role withdrawn in Altinn keeps working for at most that long after the last lookup, and a role
// just granted is seen at most that long late; in exchange, a session switching between its organisations, or
// firing many requests, asks Altinn once a minute rather than on every request. Failures are never cached.
import type { JWK } from 'jose';
import type { PersonPrincipal } from '../../access/principal.ts';
import { BoundedCache } from '../../common/bounded-cache.ts';
import { isValidOrgnr } from '../../common/identifiers.ts';
import { AuthError } from '../auth/auth-error.ts';
import { AltinnUnavailableError, createPartiesClient } from './parties-client.ts';
import type { OrgAuthority } from './parties.ts';
import { createTokenSource } from './token-source.ts';

export interface AltinnOptions {
  /** Altinn's platform base URL (the stand-in's `url`), e.g. https://platform.tt02.altinn.no */
  url: string;
  /** The platform's own Maskinporten client, registered with scope altinn:accessmanagement/authorizedparties.resourceowner. */
  maskinporten: { issuer: string; tokenEndpoint?: string; clientId: string; privateKey: JWK };
  /**
   * How long a person's parties are reused, in seconds; 0 asks Altinn on every call. Short, so a withdrawn role
   * stops working soon: see the trade-off above. @default 60
   */
  cacheSeconds?: number;
  /** How many persons' parties are kept at most; the oldest are forgotten first. @default 10000 */
  cacheMaxEntries?: number;
  /** Timeout of each HTTP call to Altinn, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Used for both Maskinporten and Altinn. @default global fetch */
  fetch?: typeof fetch;
}

export interface ActFor {
  /**
   * The person acting for `orgnr`, with the Altinn roles (and access packages, as `urn:altinn:accesspackage:…`)
   * they hold there, sorted and deduplicated. Throws AuthError(403, 'FORBIDDEN') when `orgnr` is not a valid
   * organisation number (Altinn is not asked), when Altinn does not list it among the person's parties, lists it
   * as deleted, or lists no role there; throws AuthError(503, 'SERVICE_UNAVAILABLE') when Altinn cannot be asked.
   */
  actFor(person: PersonPrincipal, orgnr: string): Promise<PersonPrincipal>;
}

/** The orgnr as it may appear in a message: only ever nine digits, so a caller cannot inject text into logs. */
function shown(orgnr: string): string {
  return /^\d{9}$/.test(orgnr) ? ` ${orgnr}` : '';
}

export function createActFor(options: AltinnOptions): ActFor {
  const cacheSeconds = options.cacheSeconds ?? 60;
  if (!Number.isFinite(cacheSeconds) || cacheSeconds < 0) {
    throw new TypeError('cacheSeconds must be a number of seconds, 0 or more');
  }
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? fetch;
  const client = createPartiesClient({
    url: options.url,
    tokens: createTokenSource({ ...options.maskinporten, now, fetch: fetchImpl }),
    fetch: fetchImpl,
    timeoutMs: options.timeoutMs ?? 5000,
  });
  // Keyed by pid in memory only; the pid is never logged nor put in a message.
  const cache = new BoundedCache<OrgAuthority>(options.cacheMaxEntries ?? 10_000, now);
  // Concurrent first requests of one person share one lookup.
  const inflight = new Map<string, Promise<OrgAuthority>>();

  function authority(pid: string): Promise<OrgAuthority> {
    const cached = cache.get(pid);
    if (cached) return Promise.resolve(cached);
    let lookup = inflight.get(pid);
    if (!lookup) {
      lookup = client
        .authority(pid)
        .then((found) => {
          if (cacheSeconds > 0) cache.set(pid, found, now() + cacheSeconds * 1000);
          return found;
        })
        .finally(() => inflight.delete(pid));
      inflight.set(pid, lookup);
    }
    return lookup;
  }

  return {
    async actFor(person, orgnr) {
      // A malformed orgnr is refused like any organisation the person may not act for (AuthError has no 400, and
      // the caller learns nothing more from a distinct answer); Altinn is not asked.
      if (typeof orgnr !== 'string' || !isValidOrgnr(orgnr)) {
        throw new AuthError(
          403,
          'FORBIDDEN',
          `Ugyldig organisasjonsnummer${shown(orgnr)}`,
          {},
          { reason: 'act_for_refused' },
        );
      }
      let found: OrgAuthority;
      try {
        found = await authority(person.pid);
      } catch (error) {
        if (!(error instanceof AltinnUnavailableError)) throw error;
        throw new AuthError(
          503,
          'SERVICE_UNAVAILABLE',
          `Kunne ikke hente roller fra Altinn for organisasjonen ${orgnr}. Prøv igjen senere.`,
          {},
          { cause: error },
        );
      }
      const roles = found.get(orgnr);
      if (!roles || roles.length === 0) {
        throw new AuthError(
          403,
          'FORBIDDEN',
          `Du har ingen rolle i Altinn for organisasjonen ${orgnr}`,
          {},
          { reason: 'act_for_refused' },
        );
      }
      return { ...person, actingFor: { orgnr, roles: [...roles] } };
    },
  };
}
