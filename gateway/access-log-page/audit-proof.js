// Checks an audit event's inclusion proof exactly as docs/AUDIT-LOG.md ("Inclusion proofs") says, with WebCrypto
// and nothing else: the checkpoint's Ed25519 signature (RFC 8032) under the log's key, the event's leaf hash walked
// up its audit path to the signed root (RFC 9162 §2.1.3.2), and that what the page shows is what the leaf holds —
// the plain fields of the canonical event, and the sealed ones it opens (the person's own fødselsnummer, the
// payload) against their salted commitments. Trusts nothing the database says beyond what these checks tie down.

export class ProofError extends Error {}

const encoder = new TextEncoder();
const fail = (reason) => {
  throw new ProofError(reason);
};

const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function fromHex(text) {
  if (typeof text !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(text)) fail('a hash in the proof is not hex');
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

const toBase64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    // btoa pads with at most two '='; a bounded pattern cannot backtrack.
    .replace(/={1,2}$/, '');

function fromBase64url(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) fail('the signature is not base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function sha256(...parts) {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// RFC 9162 §2.1.1: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right).
const leafHash = (entry) => sha256(Uint8Array.of(0), entry);
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);

/** RFC 9162 §2.1.3.2, as verifyInclusion in subgraphs/audit/merkle/proofs.ts: the root the path leads to, or null. */
async function rootFromPath(index, size, leaf, path) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** The log's public key, once it is shown to be the key its id names (RFC 7638 §3 thumbprint). */
export async function importLogKey({ keyId, publicKey }) {
  const { kty, crv, x } = publicKey ?? {};
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') fail('the log key is not an Ed25519 key');
  // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
  const thumbprint = toBase64url(await sha256(encoder.encode(JSON.stringify({ crv, kty, x }))));
  if (thumbprint !== keyId) fail('the log key does not match its key id');
  const key = await crypto.subtle.importKey('jwk', { kty, crv, x }, { name: 'Ed25519' }, false, ['verify']);
  return { keyId, key };
}

/** The checkpoint's signed text, verified: the tree size and root the rest is checked against. */
async function signedHead(checkpoint, logKey) {
  const lines = String(checkpoint.signedContent).split('\n');
  if (lines.length !== 6 || lines[0] !== 'fiks-audit-checkpoint/v1' || lines[5] !== '')
    fail('the checkpoint is not a fiks-audit-checkpoint/v1');
  const [, size, root, , keyId] = lines;
  if (keyId !== logKey.keyId) fail('the checkpoint names another key');
  const signature = fromBase64url(checkpoint.signature);
  const content = encoder.encode(checkpoint.signedContent);
  if (!(await crypto.subtle.verify({ name: 'Ed25519' }, logKey.key, signature, content)))
    fail('the checkpoint signature is not valid');
  if (!/^[1-9][0-9]*$/.test(size) || !/^[0-9a-f]{64}$/.test(root)) fail('the checkpoint is malformed');
  return { treeSize: Number(size), rootHash: root };
}

/** A sealed field opened: SHA-256(salt ‖ UTF-8 value) must be the commitment; answers the value's JSON. */
async function opened(disclosure, commitment, field) {
  if (!disclosure || typeof disclosure.value !== 'string') fail(`the proof does not open ${field}`);
  const hash = toHex(await sha256(fromHex(disclosure.salt), encoder.encode(disclosure.value)));
  if (hash !== commitment) fail(`${field} does not match its commitment in the event`);
  return JSON.parse(disclosure.value);
}

const text = (value) => (typeof value === 'string' ? value : null);
const sameInstant = (a, b) => Math.abs(Date.parse(a) - Date.parse(b)) < 1;

/** Throws ProofError(reason) unless the proof holds and the entry shows what the proven event says. */
export async function checkProof(proof, entry, pid, logKey) {
  const head = await signedHead(proof.checkpoint, logKey);
  const leaf = await leafHash(encoder.encode(proof.canonicalEvent));
  const root = await rootFromPath(proof.leafIndex, head.treeSize, leaf, proof.auditPath.map(fromHex));
  if (!root || toHex(root) !== head.rootHash)
    fail('the event is not in the signed log (its hash does not lead to the checkpoint’s root)');

  const event = JSON.parse(proof.canonicalEvent);
  const shown = {
    id: entry.eventId,
    actorType: entry.actorType,
    service: entry.service,
    action: entry.action,
    legalBasis: entry.legalBasis,
  };
  for (const [field, value] of Object.entries(shown))
    if (event[field] !== value) fail(`the ${field} shown is not the event’s`);
  if (event.v !== 1) fail('unknown canonical event version');
  if (!sameInstant(event.occurredAt, entry.occurredAt)) fail('the time shown is not the event’s');
  if (entry.organization && entry.organization.orgnr !== event.orgnr)
    fail('the organisation shown is not the event’s');

  if ((await opened(proof.dataSubject, event.sealed.dataSubject, 'dataSubject')) !== pid)
    fail('the event is not about you');
  const payload = (await opened(proof.payload, event.sealed.payload, 'payload')) ?? {};
  const fields = Array.isArray(payload.fields) ? payload.fields.filter((f) => typeof f === 'string') : [];
  if (
    text(payload.resourceType) !== entry.resourceType ||
    text(payload.resourceId) !== entry.resourceId ||
    JSON.stringify(fields) !== JSON.stringify(entry.fields)
  )
    fail('what was accessed, as shown, is not the event’s');
  return head;
}
