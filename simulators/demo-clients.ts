// The demo Maskinporten clients, with key pairs generated at every start and never written anywhere: a private
// key in the repository would be a credential (task brief). `npm start` prints how to get a token with the
// integration client's key; tests use the keys directly.
import { DEMO_ORGS } from '../common/demo-identities.ts';
import { AUTHORIZED_PARTIES_SCOPE } from './altinn.ts';
import { generateRsaKeyPair } from './keys.ts';
import type { MaskinportenClientRegistration } from './maskinporten-grant.ts';
import type { JWK } from 'jose';

/** A made-up organisation number (valid check digit) for the Fiks platform itself, the Altinn caller. */
export const DEMO_PLATFORM_ORGNR = '944000003';

export interface DemoMaskinportenClient {
  clientId: string;
  orgnr: string;
  scopes: string[];
  kid: string;
  /** Private JWK (RS256, with `kid`): give it to getMaskinportenToken as `privateKey`. */
  privateJwk: JWK;
  /** What Maskinporten has registered for the client. */
  registration: MaskinportenClientRegistration;
}

export interface DemoMaskinportenClients {
  /** The vendor's case system (DEMO_INTEGRATIONS.fjordvikCaseSystem's Maskinporten identity), scope `ks:fiks`. */
  integration: DemoMaskinportenClient;
  /** The Fiks platform calling Altinn's authorized-parties API. */
  platform: DemoMaskinportenClient;
}

async function demoClient(
  clientId: string,
  orgnr: string,
  scopes: string[],
): Promise<DemoMaskinportenClient> {
  const key = await generateRsaKeyPair('RS256');
  return {
    clientId,
    orgnr,
    scopes,
    kid: key.kid,
    privateJwk: key.privateJwk,
    registration: { clientId, orgnr, scopes, publicKeys: [key.publicJwk] },
  };
}

export async function generateDemoClients(): Promise<DemoMaskinportenClients> {
  const [integration, platform] = await Promise.all([
    // FIKS-FACTS §1: the token's consumer is the vendor, which the integration names as its authorised org.
    demoClient('demo-vendor-case-system', DEMO_ORGS.vendor.orgnr, ['ks:fiks']),
    demoClient('demo-fiks-platform', DEMO_PLATFORM_ORGNR, [AUTHORIZED_PARTIES_SCOPE]),
  ]);
  return { integration, platform };
}
