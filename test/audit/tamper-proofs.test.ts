// The tamper-evident log through the gateway: the public key, an event's inclusion proof for the person it is about
// (checked here as a browser would, trusting only the key), sealed fields opened only for who may read them — and
// each opening audited like any read of that field — and whole-log verification for platform operators only.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { runCheckpoint } from '../../subgraphs/audit/checkpointer.ts';
import { leafHash } from '../../subgraphs/audit/merkle/hash.ts';
import { verifyInclusion } from '../../subgraphs/audit/merkle/proofs.ts';
import { auditKeyOf } from '../../subgraphs/audit/signing-key.ts';
import { AuditStore } from '../../subgraphs/audit/store.ts';
import { asPerson, dataOf, type Headers } from '../privileges/support.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const EVENT = 'e0000000-0000-4000-8000-0000000000b1';
const PROOF = `query Proof($id: ID!) {
  auditEventProof(id: $id) {
    canonicalEvent leafIndex auditPath
    checkpoint { treeSize rootHash issuedAt keyId signature signedContent }
    dataSubject payload
  }
}`;
const KEY = '{ auditLogKey { keyId publicKey } }';
const VERIFY = `{ auditLogVerification {
  ok treeSize checkpoints witnessLines pendingEvents problemCount
  firstMismatch { code leafIndex eventId } } }`;

interface Proof {
  canonicalEvent: string;
  leafIndex: number;
  auditPath: string[];
  checkpoint: { treeSize: number; rootHash: string; keyId: string; signature: string; signedContent: string };
  dataSubject: { salt: string; value: string } | null;
  payload: { salt: string; value: string } | null;
  actorId?: { salt: string; value: string } | null;
}

/** What a browser does with a proof and the key: nothing here trusts the platform's database. */
function checkAsBrowser(proof: Proof, publicKey: Record<string, unknown>): void {
  const key = createPublicKey({ key: publicKey as never, format: 'jwk' });
  const { checkpoint } = proof;
  expect(
    verify(null, Buffer.from(checkpoint.signedContent), key, Buffer.from(checkpoint.signature, 'base64url')),
  ).toBe(true);
  expect(checkpoint.signedContent.split('\n').slice(1, 3)).toEqual([
    String(checkpoint.treeSize),
    checkpoint.rootHash,
  ]);
  const leaf = leafHash(Buffer.from(proof.canonicalEvent, 'utf8'));
  const path = proof.auditPath.map((h) => Buffer.from(h, 'hex'));
  expect(
    verifyInclusion(
      proof.leafIndex,
      checkpoint.treeSize,
      leaf,
      path,
      Buffer.from(checkpoint.rootHash, 'hex'),
    ),
  ).toBe(true);
}

/** SHA-256(salt ‖ value) against the commitment the canonical event holds for the field. */
function opens(proof: Proof, field: 'dataSubject' | 'payload' | 'actorId'): boolean {
  const disclosure = proof[field]!;
  const sealed = (JSON.parse(proof.canonicalEvent) as { sealed: Record<string, string> }).sealed;
  const commitment = createHash('sha256')
    .update(Buffer.from(disclosure.salt, 'hex'))
    .update(disclosure.value, 'utf8')
    .digest('hex');
  return commitment === sealed[field];
}

describe('audit / proofs and verification through the gateway', () => {
  let platform: TestPlatform;
  let ola: Headers;
  let kari: Headers;
  let hans: Headers;
  let operator: Headers;
  const checkpoint = async () =>
    runCheckpoint(platform.db, {
      key: await auditKeyOf(platform.config.auditLog),
      witnessFile: platform.config.auditLog.witnessFile,
    });

  beforeAll(async () => {
    // The timer never fires here: the tests make each checkpoint themselves.
    platform = await startTestPlatform({ AUDIT_CHECKPOINT_INTERVAL_MS: '3600000' });
    [ola, kari, hans, operator] = await Promise.all([
      asPerson(platform, DEMO_PERSONS.ola.pid),
      asPerson(platform, DEMO_PERSONS.kari.pid),
      asPerson(platform, DEMO_PERSONS.hans.pid),
      asPerson(platform, DEMO_PERSONS.operator.pid),
    ]);
    // A caseworker read Ola's data in Fjordvik.
    await new AuditStore(platform.db).append({
      id: EVENT,
      actorType: 'PERSON',
      actorId: DEMO_PERSONS.per.pid,
      orgnr: DEMO_ORGS.fjordvik.orgnr,
      service: 'documents',
      action: 'PERSONAL_DATA_READ',
      dataSubject: DEMO_PERSONS.ola.pid,
      legalBasis: 'barnevernsloven § 13-1',
      payload: { resourceType: 'Document', fields: ['title'] },
    });
  });
  afterAll(() => platform.stop());

  it('answers the public key to any caller, and no private part', async () => {
    const { auditLogKey } = dataOf<{ auditLogKey: { keyId: string; publicKey: Record<string, unknown> } }>(
      await platform.graphql(KEY, {}, ola),
    );
    expect(auditLogKey.publicKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: auditLogKey.keyId });
    expect(auditLogKey.publicKey).not.toHaveProperty('d');
  });

  it('has no proof for an event that is in no checkpoint yet', async () => {
    const { auditEventProof } = dataOf<{ auditEventProof: Proof | null }>(
      await platform.graphql(PROOF, { id: EVENT }, ola),
    );
    expect(auditEventProof).toBeNull();
  });

  it('proves the event to the person it is about, who checks it with the key alone', async () => {
    expect(await checkpoint()).not.toBeNull();
    const { auditLogKey } = dataOf<{ auditLogKey: { publicKey: Record<string, unknown> } }>(
      await platform.graphql(KEY, {}, ola),
    );
    const { auditEventProof: proof } = dataOf<{ auditEventProof: Proof }>(
      await platform.graphql(PROOF, { id: EVENT }, ola),
    );
    checkAsBrowser(proof, auditLogKey.publicKey);
    // Nobody's fødselsnummer is in the hashed string itself; Ola's own opens against its commitment.
    for (const pid of [DEMO_PERSONS.ola.pid, DEMO_PERSONS.per.pid])
      expect(proof.canonicalEvent).not.toContain(pid);
    expect(JSON.parse(proof.canonicalEvent)).toMatchObject({ id: EVENT, action: 'PERSONAL_DATA_READ' });
    expect(proof.dataSubject!.value).toBe(JSON.stringify(DEMO_PERSONS.ola.pid));
    expect(opens(proof, 'dataSubject') && opens(proof, 'payload')).toBe(true);
  });

  it('keeps the caseworker’s fødselsnummer sealed for the citizen, and opens it for an administrator', async () => {
    const query = PROOF.replace('dataSubject payload', 'actorId');
    const forOla = await platform.graphql(query, { id: EVENT }, ola);
    expect(forOla.body.errors?.[0]).toMatchObject({
      path: ['auditEventProof', 'actorId'],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(JSON.stringify(forOla.body)).not.toContain(DEMO_PERSONS.per.pid);
    const forKari = dataOf<{ auditEventProof: Proof }>(await platform.graphql(query, { id: EVENT }, kari));
    expect(forKari.auditEventProof.actorId!.value).toBe(JSON.stringify(DEMO_PERSONS.per.pid));
    expect(opens(forKari.auditEventProof, 'actorId')).toBe(true);
    // Opening it was reading it: recorded as a read of the event's actorId, with the administrator's legal basis.
    const [read] = await platform.db.query<{ legal_basis: string; payload: { fields: string[] } }>(
      `select legal_basis, payload from audit.event where action = 'PERSONAL_DATA_READ' and actor_id = $1
         and data_subject = $2 and payload->>'resourceId' = $3`,
      [DEMO_PERSONS.kari.pid, DEMO_PERSONS.per.pid, EVENT],
    );
    expect(read?.payload.fields).toEqual(['actorId']);
    expect(read?.legal_basis).toBeTruthy();
  });

  it('answers null to a caller who may not see the event, as for one that does not exist', async () => {
    for (const id of [EVENT, 'e0000000-0000-4000-8000-0000000000ff']) {
      const { auditEventProof } = dataOf<{ auditEventProof: Proof | null }>(
        await platform.graphql(PROOF, { id }, hans),
      );
      expect(auditEventProof).toBeNull();
    }
  });

  it('verifies the whole log for a platform operator, and for nobody else', async () => {
    await checkpoint();
    const { auditLogVerification } = dataOf<{ auditLogVerification: Record<string, unknown> }>(
      await platform.graphql(VERIFY, {}, operator),
    );
    expect(auditLogVerification).toMatchObject({ ok: true, problemCount: 0, firstMismatch: null });
    expect(auditLogVerification.checkpoints).toBe(2);
    expect(auditLogVerification.witnessLines).toBe(4);
    for (const caller of [kari, ola]) {
      const refused = await platform.graphql(VERIFY, {}, caller);
      expect(refused.status).toBe(403);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('names the event a superuser changed, to the operator', async () => {
    await platform.db.query(`update audit.event set legal_basis = 'ingen' where id = $1`, [EVENT]);
    const { auditLogVerification } = dataOf<{ auditLogVerification: Record<string, unknown> }>(
      await platform.graphql(VERIFY, {}, operator),
    );
    expect(auditLogVerification).toMatchObject({
      ok: false,
      firstMismatch: { code: 'LEAF_HASH_MISMATCH', eventId: EVENT },
    });
  });
});
