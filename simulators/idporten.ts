// A local stand-in for ID-porten: a certified OpenID provider (oidc-provider 9) configured as ID-porten behaves
// (FIKS-FACTS §3), with a TestID-like login page for synthetic persons. A relying party finds everything through
// discovery, so pointing it at https://test.idporten.no instead changes only the issuer URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { PAGE_CSP, renderPage } from './html.ts';
import { createLoginHandler } from './idporten-login.ts';
import { resolveIdportenOptions, type IdportenOptions } from './idporten-options.ts';
import { createIdportenProvider } from './idporten-provider.ts';
import { generateRsaKeyPair } from './keys.ts';
import { refuseProduction } from './production-guard.ts';

export type {
  IdportenClient,
  IdportenLifetimes,
  IdportenOptions,
  IdportenPerson,
} from './idporten-options.ts';

export interface IdportenSimulator {
  /** e.g. http://127.0.0.1:41234 (no trailing slash, like https://test.idporten.no). */
  issuer: string;
  discoveryUrl: string;
  jwksUri: string;
  /** The public signing keys (RS256), as served at `jwksUri`. */
  jwks: { keys: JWK[] };
  /** The `aud` of every access token. */
  audience: string;
  stop(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1. Throws in production mode. */
export async function startIdporten(options: IdportenOptions = {}): Promise<IdportenSimulator> {
  refuseProduction(options.mode, 'ID-porten', 'https://test.idporten.no');
  const resolved = resolveIdportenOptions(options);
  // ID-porten signs id_tokens and access tokens with RS256 (FIKS-FACTS §3).
  const key = await generateRsaKeyPair('RS256');

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, '127.0.0.1', () => resolve());
  });
  // The issuer contains the port, which is known only once the server listens.
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const stop = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  const provider = createIdportenProvider(issuer, resolved, key);
  // oidc-provider validates static clients on first use; load them now so a bad registration fails at start.
  for (const { clientId } of resolved.clients) {
    try {
      await provider.Client.find(clientId);
    } catch (error) {
      await stop();
      const detail = (error as { error_description?: string }).error_description ?? String(error);
      throw new TypeError(`ID-porten client ${clientId} is not valid: ${detail}`, { cause: error });
    }
  }
  const providerCallback = provider.callback();
  const login = createLoginHandler(provider, resolved.persons);
  handle = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      login(req, res).catch((error: unknown) => {
        if (res.headersSent) return;
        // A missing or expired interaction cookie is the usual cause: the login must start again.
        const status = (error as { status?: number }).status ?? 500;
        res.writeHead(status >= 400 && status < 500 ? status : 500, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': PAGE_CSP,
        });
        res.end(
          renderPage('Feil', '<h1>Innloggingen kan ikke fortsette</h1><p>Start på nytt fra tjenesten.</p>'),
        );
      });
      return;
    }
    providerCallback(req, res);
  };

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}/jwks.json`,
    jwks: { keys: [key.publicJwk] },
    audience: resolved.audience,
    stop,
  };
}
