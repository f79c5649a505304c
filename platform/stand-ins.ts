// Development only: when no identity provider is configured, start the local stand-ins for ID-porten, Maskinporten
// and Altinn (simulators/) and point the configuration at them. Kept apart from the launcher so that the production
// path never reaches this code: the stand-ins refuse production mode themselves, and this module is only called when
// the mode is development and no real issuer is set.
import { randomBytes } from 'node:crypto';
import type { Config } from '../common/config.ts';
import { DEMO_ORGS } from '../common/demo-identities.ts';
import { startSimulators, type Simulators } from '../simulators/index.ts';

/** The ID-porten clients registered at the local stand-in. */
export const GATEWAY_IDPORTEN_CLIENT_ID = 'fiks-gateway';
/** A vendor's frontend: its tokens carry the vendor as `consumer`, for integrations acting for a person. */
export const VENDOR_FRONTEND_CLIENT_ID = 'vendor-frontend';

export type StandIns = Simulators & {
  vendorFrontend: { clientId: string; clientSecret: string; redirectUri: string };
};

/** Whether this configuration wants the stand-ins: development, and no real identity provider named. */
export function wantsStandIns(config: Config): boolean {
  const noIdentityProviders = !config.idporten.issuer && !config.maskinporten.issuer && !config.altinn.url;
  return config.mode === 'development' && noIdentityProviders;
}

/** Starts the stand-ins for a gateway at `gatewayUrl` and returns the configuration that uses them. */
export async function startStandIns(
  config: Config,
  gatewayUrl: string,
): Promise<{ standIns: StandIns; config: Config }> {
  const gatewayClient = {
    clientId: GATEWAY_IDPORTEN_CLIENT_ID,
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const vendorFrontend = {
    clientId: VENDOR_FRONTEND_CLIENT_ID,
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUri: `${gatewayUrl}/vendor-frontend/callback`,
  };
  const started = await startSimulators({
    mode: config.mode,
    idporten: {
      audience: gatewayUrl,
      clients: [
        {
          ...gatewayClient,
          redirectUris: [`${gatewayUrl}/auth/callback`],
          postLogoutRedirectUris: [`${gatewayUrl}/`],
          frontchannelLogoutUri: `${gatewayUrl}/auth/frontchannel-logout`,
        },
        {
          clientId: vendorFrontend.clientId,
          clientSecret: vendorFrontend.clientSecret,
          redirectUris: [vendorFrontend.redirectUri],
          orgnr: DEMO_ORGS.vendor.orgnr,
        },
      ],
    },
  });
  return {
    standIns: { ...started, vendorFrontend },
    config: {
      ...config,
      idporten: {
        ...config.idporten,
        issuer: started.idporten.issuer,
        clientId: gatewayClient.clientId,
        clientSecret: gatewayClient.clientSecret,
        audience: gatewayUrl,
      },
      maskinporten: { ...config.maskinporten, issuer: started.maskinporten.issuer },
      altinn: {
        url: started.altinn.url,
        clientId: started.demoClients.platform.clientId,
        clientKey: started.demoClients.platform.privateJwk,
      },
    },
  };
}
