// The optional identity parts of the gateway, from configuration: browser login with sessions (needs an ID-porten
// client) and acting for an organisation (needs Altinn and a Maskinporten client to call it with).
import type { Config } from '../common/config.ts';
import type { Db } from '../db/database.ts';
import { createActFor, type ActFor } from './altinn/index.ts';
import type { SessionAudit } from './session/audit.ts';
import { createSessions, type Sessions } from './session/index.ts';

export interface IdentityParts {
  sessions: Sessions | undefined;
  actFor: ActFor | undefined;
}

export async function buildIdentityParts(
  config: Config,
  db: Db,
  publicUrl: string,
  audit?: SessionAudit,
): Promise<IdentityParts> {
  const { idporten, altinn, maskinporten, session } = config;
  const insecure = config.mode === 'development';
  const sessions =
    idporten.issuer && idporten.clientId && idporten.clientSecret
      ? await createSessions({
          db,
          idporten: {
            issuer: idporten.issuer,
            clientId: idporten.clientId,
            clientSecret: idporten.clientSecret,
            acrMinimum: idporten.acrMinimum,
          },
          publicUrl,
          encryptionKey: session.encryptionKey,
          idleMinutes: session.idleMinutes,
          maxMinutes: session.maxMinutes,
          loginRate: session.loginRate,
          audit,
          // openid-client refuses plain HTTP; the local stand-ins speak it, and only in development.
          allowInsecureRequests: insecure && idporten.issuer.startsWith('http:'),
        })
      : undefined;
  let actFor: ActFor | undefined;
  if (altinn.url && altinn.clientId && altinn.clientKey && maskinporten.issuer) {
    actFor = createActFor({
      url: altinn.url,
      maskinporten: { issuer: maskinporten.issuer, clientId: altinn.clientId, privateKey: altinn.clientKey },
    });
  }
  return { sessions, actFor };
}
