// The citizen's access log page: who is logged in (the ID-porten session cookie), their access log a page at a
// time, and for each entry its inclusion proof checked here (audit-proof.js). Everything the platform answers is
// written with textContent, never as HTML.
import { checkProof, importLogKey, ProofError } from './audit-proof.js';

const ME = '{ me { kind pid } }';
const KEY = '{ auditLogKey { keyId publicKey } }';
const LOG = `query AccessLog($after: String) {
  myAccessLog(first: 50, after: $after) {
    entries {
      eventId occurredAt organization { orgnr name } actorType actorName integrationId service action
      resourceType resourceId fields legalBasis
    }
    nextCursor
  }
}`;
const PROOF = `query Proof($id: ID!) {
  auditEventProof(id: $id) {
    canonicalEvent leafIndex auditPath
    checkpoint { treeSize rootHash keyId signature signedContent }
    dataSubject payload
  }
}`;

const $ = (id) => document.getElementById(id);
let cursor = null;

/** The data, or an Error named by the first error's stable code (never its message: it is the server's text). */
async function graphql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({}));
  const error = body.errors && body.errors[0];
  if (error || !body.data) throw new Error((error && error.extensions && error.extensions.code) || 'ERROR');
  return body.data;
}

const ACTORS = { PERSON: 'Person', INTEGRATION: 'Integrasjon', PLATFORM: 'Plattformen' };

function who(entry) {
  const kind = ACTORS[entry.actorType] ?? entry.actorType;
  if (entry.actorName) return `${kind}: ${entry.actorName}`;
  return entry.integrationId ? `${kind} ${entry.integrationId}` : kind;
}

function what(entry) {
  const resource = [entry.resourceType, entry.resourceId].filter(Boolean).join(' ');
  const fields = entry.fields.length ? ` (${entry.fields.join(', ')})` : '';
  return `${entry.action} i ${entry.service}${resource ? `: ${resource}` : ''}${fields}`;
}

function row(entry) {
  const tr = document.createElement('tr');
  tr.dataset.eventId = entry.eventId;
  const organisation = entry.organization
    ? `${entry.organization.name ?? ''} (${entry.organization.orgnr})`.trim()
    : '';
  const when = new Date(entry.occurredAt).toLocaleString('nb-NO', { timeZone: 'Europe/Oslo' });
  for (const value of [when, organisation, who(entry), what(entry), entry.legalBasis ?? '']) {
    const td = document.createElement('td');
    td.textContent = value;
    tr.append(td);
  }
  const status = document.createElement('td');
  status.className = 'status';
  status.textContent = 'checking…';
  tr.append(status);
  return { tr, status };
}

function show(status, state, text) {
  status.dataset.status = state;
  status.textContent = text;
}

/** One entry's proof, fetched and checked; the row says what came of it. */
async function verify(entry, status, pid, logKey) {
  try {
    const { auditEventProof: proof } = await graphql(PROOF, { id: entry.eventId });
    if (!proof) return show(status, 'pending', 'not yet in a signed checkpoint');
    const head = await checkProof(proof, entry, pid, await logKey);
    show(status, 'verified', 'verified');
    status.title = `leaf ${proof.leafIndex} of ${head.treeSize}, root ${head.rootHash}`;
  } catch (error) {
    show(
      status,
      'failed',
      `FAILED: ${error instanceof ProofError ? error.message : `could not check (${error.message})`}`,
    );
  }
}

async function loadPage(pid, logKey) {
  const { myAccessLog } = await graphql(LOG, { after: cursor });
  const rows = myAccessLog.entries.map((entry) => ({ entry, ...row(entry) }));
  $('entries').append(...rows.map((r) => r.tr));
  $('log').hidden = $('entries').children.length === 0;
  $('empty').hidden = $('entries').children.length > 0;
  cursor = myAccessLog.nextCursor;
  $('more').hidden = !cursor;
  // One at a time: a person's log can be long, and each proof is a request to the platform.
  for (const { entry, status } of rows) await verify(entry, status, pid, logKey);
}

async function start() {
  const me = await graphql(ME).then(
    (data) => data.me,
    () => null,
  );
  if (!me || me.kind !== 'PERSON' || !me.pid) {
    $('who').textContent = 'Ikke innlogget';
    $('login').hidden = false;
    return;
  }
  $('who').textContent = 'Innlogget';
  // The key once for the page; a key that fails to import fails every row, with the reason.
  const logKey = graphql(KEY).then((data) => importLogKey(data.auditLogKey));
  logKey.then(
    (key) => ($('key').textContent = `Loggens nøkkel: ${key.keyId}`),
    () => undefined,
  );
  $('more').addEventListener('click', () => void loadPage(me.pid, logKey));
  await loadPage(me.pid, logKey);
}

start().catch((error) => {
  $('who').textContent = `Kunne ikke hente tilgangsloggen (${error.message})`;
});
