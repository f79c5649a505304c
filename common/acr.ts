// ID-porten's levels of assurance (FIKS-FACTS §3) and the one comparison between them. Everything that asks "is this
// login strong enough?" — token checks, browser login, step-up, policies — asks it here.

/** ID-porten levels of assurance, weakest first. */
export const ACR_LEVELS = ['idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high'] as const;
export type Acr = (typeof ACR_LEVELS)[number];

export function isAcr(value: unknown): value is Acr {
  return typeof value === 'string' && (ACR_LEVELS as readonly string[]).includes(value);
}

/** Whether a login at `acr` meets `minimum`. */
export function acrAtLeast(acr: Acr, minimum: Acr): boolean {
  return ACR_LEVELS.indexOf(acr) >= ACR_LEVELS.indexOf(minimum);
}
