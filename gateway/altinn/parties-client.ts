// Asks Altinn 3 which parties a person may act for: POST …/resourceowner/authorizedparties (FIKS-FACTS §4), with
// the platform's Maskinporten token. A 401 means Altinn no longer accepts the token (revoked, or its keys rotated
// before it expired), so the token is fetched again, once; every other failure is the caller's to fail closed on.
//
// Not done: real Altinn wants the Maskinporten token exchanged for an Altinn token
// (/authentication/api/v1/exchange/maskinporten) and an APIM subscription key header; the local stand-in takes
// the Maskinporten token directly (simulators/altinn.ts), and so does this client.
import { AltinnResponseError, authorityByOrgnr, type OrgAuthority } from './parties.ts';
import type { TokenSource } from './token-source.ts';
import { withoutTrailingSlashes } from '../../common/urls.ts';

export const AUTHORIZED_PARTIES_PATH = '/accessmanagement/api/v1/resourceowner/authorizedparties';
const PERSON_IDENTIFIER = 'urn:altinn:person:identifier-no';

/** Altinn could not be asked, or did not answer usefully. The message never contains the person's pid. */
export class AltinnUnavailableError extends Error {
  override name = 'AltinnUnavailableError';
}

export interface PartiesClientOptions {
  /** Altinn's platform base URL, e.g. https://platform.tt02.altinn.no */
  url: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  /** Per HTTP call to Altinn. */
  timeoutMs: number;
}

export interface PartiesClient {
  /** What the person (by fødselsnummer) holds for each organisation. Throws AltinnUnavailableError. */
  authority(pid: string): Promise<OrgAuthority>;
}

export function createPartiesClient(options: PartiesClientOptions): PartiesClient {
  const endpoint = `${withoutTrailingSlashes(options.url)}${AUTHORIZED_PARTIES_PATH}?includeAltinn2=true`;

  async function post(pid: string, token: string): Promise<Response> {
    try {
      return await options.fetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        // The pid travels in the body, never in the URL, so it stays out of access logs on the way.
        body: JSON.stringify({ type: PERSON_IDENTIFIER, value: pid }),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new AltinnUnavailableError('Altinn could not be reached', { cause: error });
    }
  }

  async function token(): Promise<string> {
    try {
      return await options.tokens.token();
    } catch (error) {
      throw new AltinnUnavailableError('No Maskinporten token for Altinn', { cause: error });
    }
  }

  return {
    async authority(pid) {
      let used = await token();
      let response = await post(pid, used);
      if (response.status === 401) {
        await response.body?.cancel();
        options.tokens.invalidate(used);
        used = await token();
        response = await post(pid, used);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new AltinnUnavailableError(
          `Altinn answered the authorized-parties lookup with ${response.status}`,
        );
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        // Not kept as the cause: a JSON syntax error quotes the text it could not read, which may hold the pid.
        throw new AltinnUnavailableError('Altinn answered with something other than JSON');
      }
      try {
        return authorityByOrgnr(body);
      } catch (error) {
        if (error instanceof AltinnResponseError) throw new AltinnUnavailableError(error.message);
        throw error;
      }
    },
  };
}
