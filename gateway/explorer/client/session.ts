// The page's side of the browser session: who is logged in (GET /auth/me, gateway/who-am-i.ts), logging out
// (POST /auth/logout with a JSON body, which the gateway's CSRF guard asks for), and the organisation the person acts
// for, sent as the Fiks-Act-For header with every request and kept for this tab only.
export const ACT_FOR_HEADER = 'fiks-act-for';
const ACT_FOR_KEY = 'fiks-explorer:act-for';

export type WhoAmI =
  | { loggedIn: false }
  | { loggedIn: true; acr: string; actingFor?: { orgnr: string; roles: string[] } }
  | { loggedIn: true; refused: string };

export function loginUrl(): string {
  return `/auth/login?returnTo=${encodeURIComponent('/explorer')}`;
}

export function actForHeaders(actFor: string): Record<string, string> {
  return actFor ? { [ACT_FOR_HEADER]: actFor } : {};
}

/** Sent with every request of the page: a header another site's page cannot add without a CORS preflight the
 * gateway never grants, so it marks the request as the page's own (as /audit/export asks of a cookie caller). */
export const OWN_PAGE_HEADERS = { 'x-requested-with': 'fiks-explorer' } as const;

export function storedActFor(): string {
  return sessionStorage.getItem(ACT_FOR_KEY) ?? '';
}

export function storeActFor(orgnr: string): void {
  if (orgnr) sessionStorage.setItem(ACT_FOR_KEY, orgnr);
  else sessionStorage.removeItem(ACT_FOR_KEY);
}

interface ErrorBody {
  errors?: { message?: string }[];
}

export async function whoAmI(actFor: string): Promise<WhoAmI> {
  const response = await fetch('/auth/me', {
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...OWN_PAGE_HEADERS, ...actForHeaders(actFor) },
  });
  if (response.ok) return (await response.json()) as WhoAmI;
  // Logged in, but not for that organisation (Altinn lists no role there), or Altinn cannot be asked now.
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  return { loggedIn: true, refused: body.errors?.[0]?.message ?? `HTTP ${response.status}` };
}

/** Ends the session here, then at ID-porten (which sends the browser back to the explorer). */
export async function logOut(): Promise<void> {
  const response = await fetch('/auth/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...OWN_PAGE_HEADERS },
    body: '{}',
  });
  const { endSessionUrl } = (await response.json()) as { endSessionUrl?: string | null };
  if (endSessionUrl) window.location.assign(endSessionUrl);
}
