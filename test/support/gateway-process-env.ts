// The environment a gateway process (bin/gateway.ts) needs besides the settings it shares with the rest of the
// platform: its address, the subgraphs it calls, and the local identity stand-ins started beside it.
import type { Config } from '../../common/config.ts';
import type { SubgraphName } from '../../common/subgraph-names.ts';

export function gatewayProcessEnv(
  port: number,
  subgraphUrls: Record<SubgraphName, string>,
  /** The configuration startStandIns answered, which names the stand-ins. */
  standIns: Config,
): Record<string, string> {
  return {
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    ORGANIZATIONS_URL: subgraphUrls.organizations,
    INTEGRATIONS_URL: subgraphUrls.integrations,
    DOCUMENTS_URL: subgraphUrls.documents,
    AUDIT_URL: subgraphUrls.audit,
    IDPORTEN_ISSUER: standIns.idporten.issuer!,
    IDPORTEN_CLIENT_ID: standIns.idporten.clientId!,
    IDPORTEN_CLIENT_SECRET: standIns.idporten.clientSecret!,
    MASKINPORTEN_ISSUER: standIns.maskinporten.issuer!,
    ALTINN_URL: standIns.altinn.url!,
    ALTINN_MASKINPORTEN_CLIENT_ID: standIns.altinn.clientId!,
    ALTINN_MASKINPORTEN_KEY: JSON.stringify(standIns.altinn.clientKey),
  };
}
