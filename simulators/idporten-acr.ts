// ID-porten's levels of assurance (FIKS-FACTS §3, DIGDIR `oidc_protocol_id_token.md`). `acr_values` asks for a
// minimum level; the client MUST then validate the `acr` it gets. `idporten-loa-low` has no eID today, so the
// stand-in offers only the two levels that exist.

export const ACR = {
  substantial: 'idporten-loa-substantial',
  high: 'idporten-loa-high',
} as const;

export type Level = keyof typeof ACR;
export const LEVELS: readonly Level[] = ['substantial', 'high'];

const RANK: Record<string, number> = { [ACR.substantial]: 0, [ACR.high]: 1 };

/** The lowest known level in a space-separated `acr_values`; substantial when none is given or known. */
export function minimumLevel(acrValues: unknown): Level {
  const requested = typeof acrValues === 'string' ? acrValues.split(' ') : [];
  const known = requested.filter((v) => v in RANK).map((v) => RANK[v]!);
  return known.length > 0 && Math.min(...known) === RANK[ACR.high] ? 'high' : 'substantial';
}

/** The levels the test-login page may offer for a request: the minimum and anything above it. */
export function allowedLevels(acrValues: unknown): Level[] {
  return minimumLevel(acrValues) === 'high' ? ['high'] : [...LEVELS];
}

/** Whether a session's `acr` satisfies the request, so single sign-on may be reused without a new login. */
export function satisfies(sessionAcr: string | undefined, acrValues: unknown): boolean {
  if (sessionAcr === undefined || !(sessionAcr in RANK)) return false;
  return RANK[sessionAcr]! >= RANK[ACR[minimumLevel(acrValues)]]!;
}
