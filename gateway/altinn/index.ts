// Acting for an organisation: a person chooses an organisation (per request with ACT_FOR_HEADER, or per session),
// and the gateway asks Altinn which roles the person holds there (FIKS-FACTS §4). One concern per file:
// token-source.ts (the platform's Maskinporten token), parties-client.ts (the Altinn call), parties.ts (reading
// the answer), act-for.ts (the policy and its cache).
export { createActFor, type ActFor, type AltinnOptions } from './act-for.ts';
export { AUTHORIZED_PARTIES_SCOPE } from './token-source.ts';

/** The request header a frontend sets to act for an organisation; the gateway reads it. */
export const ACT_FOR_HEADER = 'fiks-act-for';
