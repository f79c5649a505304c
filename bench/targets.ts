// What is measured: one request, sent the same way to three targets, and the data each must answer with.
import { isDeepStrictEqual } from 'node:util';
import { DEMO_DOCUMENTS, DEMO_ORGS } from '../common/demo-identities.ts';

export type TargetKey = 'a' | 'b' | 'c';

export interface Target {
  /** Row label: a, b or c. */
  key: TargetKey;
  label: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The `data` a correct answer carries. */
  expectedData: unknown;
}

const ORG = DEMO_ORGS.fjordvik;
const DOCUMENT = { id: DEMO_DOCUMENTS.caseFile, title: 'Saksframlegg, sak 2026/114' };

/** The two-subgraph query a case system makes: a document exposed to it (documents), and the name of the
 * organisation holding it (organizations). Every rule on the way is evaluated, at the gateway and in both subgraphs. */
export const GATEWAY_QUERY = `query Bench { document(id: "${DOCUMENT.id}") { title organization { name } } }`;
/** The documents subgraph's share of it. */
export const SUBGRAPH_QUERY = `{ document(id: "${DOCUMENT.id}") { title organization { orgnr } } }`;

const JSON_HEADERS = { 'content-type': 'application/json' };

export interface TargetUrls {
  documentsSubgraph: string;
  documentsToken: string;
  bareGateway: string;
  ourGateway: string;
}

export function benchTargets(urls: TargetUrls): Target[] {
  const gatewayData = { document: { title: DOCUMENT.title, organization: { name: ORG.name } } };
  const gatewayBody = JSON.stringify({ query: GATEWAY_QUERY, operationName: 'Bench' });
  return [
    {
      key: 'a',
      label: 'documents subgraph alone',
      url: urls.documentsSubgraph,
      headers: { ...JSON_HEADERS, authorization: `Bearer ${urls.documentsToken}` },
      body: JSON.stringify({ query: SUBGRAPH_QUERY }),
      expectedData: { document: { title: DOCUMENT.title, organization: { orgnr: ORG.orgnr } } },
    },
    {
      key: 'b',
      label: 'bare @apollo/gateway',
      url: urls.bareGateway,
      headers: JSON_HEADERS,
      body: gatewayBody,
      expectedData: gatewayData,
    },
    {
      key: 'c',
      label: 'our gateway',
      url: urls.ourGateway,
      headers: JSON_HEADERS,
      body: gatewayBody,
      expectedData: gatewayData,
    },
  ];
}

/**
 * Sends the target's request once and checks the answer: HTTP 200, JSON, no errors, exactly the expected data.
 * Returns the response body, which every response during the run must then equal. Throws otherwise: a bench of
 * error responses is worthless.
 */
export async function verifyTarget(target: Target): Promise<string> {
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const text = await response.text();
  const fail = (why: string) =>
    new Error(`${target.key} (${target.label}) ${why}; status ${response.status}: ${text}`);
  if (response.status !== 200) throw fail('did not answer 200');
  let parsed: { data?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw fail('did not answer JSON');
  }
  if (parsed.errors !== undefined) throw fail('answered with errors');
  if (!isDeepStrictEqual(parsed.data, target.expectedData)) throw fail('answered other data than expected');
  return text;
}
