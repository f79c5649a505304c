// Retention (issue #10 item 8): pruning deletes the content of events older than the horizon and keeps their leaves
// and every checkpoint, records itself as a signed AUDIT_PRUNED event, and leaves the log verifiable — a missing event
// is accepted only below a signed pruning horizon.
import { verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventProof } from '../../subgraphs/audit/event-proof.ts';
import { verifyInclusion } from '../../subgraphs/audit/merkle/proofs.ts';
import { horizonOf, pruneAuditLog } from '../../subgraphs/audit/retention.ts';
import { ProofReader } from '../../subgraphs/audit/store/proof.ts';
import { leafHash } from '../../subgraphs/audit/merkle/hash.ts';
import { newKey, openTestLog, type TestLog } from './tamper-log.ts';

describe('audit / retention', () => {
  let log: TestLog;
  let ids: string[];
  const occurredAt = async (id: string) =>
    (
      await log.db.query<{ t: string }>('select occurred_at as t from audit.canonical_event where id = $1', [
        id,
      ])
    )[0]!.t;
  const present = async () =>
    (await log.db.query<{ id: string }>('select id::text from audit.event order by seq')).map((r) => r.id);

  beforeAll(async () => {
    log = await openTestLog();
    ids = await log.appendEach(6);
  });
  afterAll(() => log.close());

  it('computes the horizon from the retention in days', () => {
    expect(horizonOf(30, new Date('2026-03-31T12:00:00.000Z'))).toBe('2026-03-01T12:00:00.000Z');
  });

  it('prunes nothing, and records nothing, while no event is due', async () => {
    expect(await pruneAuditLog(log.db, { key: log.key, horizon: await occurredAt(ids[0]!) })).toBeNull();
    expect(await present()).toEqual(ids);
  });

  it('deletes the content of the events before the horizon, keeps their hashes, and records that it did', async () => {
    const horizon = await occurredAt(ids[3]!);
    const record = await pruneAuditLog(log.db, { key: log.key, horizon });
    expect(record).toMatchObject({ horizon, belowLeafIndex: 3, count: 3, keyId: log.key.keyId });
    const remaining = await present();
    expect(remaining.slice(0, 3)).toEqual(ids.slice(3));
    const [pruning] = await log.db.query<{ action: string; payload: unknown }>(
      'select action, payload from audit.event where id = $1',
      [remaining[3]],
    );
    expect(pruning).toEqual({ action: 'AUDIT_PRUNED', payload: record });
    expect((await log.db.query('select * from audit.leaf')).length).toBe(6);
    expect(await log.verify()).toMatchObject({ ok: true, prunedEvents: 3, pendingEvents: 1, treeSize: 6 });
    expect(await log.checkpoint()).toMatchObject({ treeSize: 7 });
    expect(await log.verify()).toMatchObject({ ok: true, prunedEvents: 3, pendingEvents: 0 });
  });

  it('still proves a younger event’s inclusion against the latest checkpoint', async () => {
    const proof = await eventProof(new ProofReader(log.db), ids[4]!);
    expect(proof).not.toBeNull();
    const leaf = leafHash(Buffer.from(proof!.canonicalEvent, 'utf8'));
    const path = proof!.auditPath.map((h) => Buffer.from(h, 'hex'));
    const root = Buffer.from(proof!.checkpoint.rootHash, 'hex');
    expect(verifyInclusion(proof!.leafIndex, proof!.checkpoint.treeSize, leaf, path, root)).toBe(true);
    expect(proof!.leafIndex).toBe(4);
    const { signedContent, signature } = proof!.checkpoint;
    expect(
      verify(null, Buffer.from(signedContent), log.key.publicKey, Buffer.from(signature, 'base64url')),
    ).toBe(true);
  });

  it('still catches a deletion above the horizon', async () => {
    await log.db.query('delete from audit.event where id = $1', [ids[4]]);
    expect((await log.verify()).firstMismatch).toMatchObject({
      code: 'EVENT_MISSING',
      leafIndex: 4,
      eventId: ids[4],
    });
  });

  it('does not let a pruning record signed by another key cover a deletion', async () => {
    const forger = newKey();
    const horizon = new Date().toISOString();
    const forged = await pruneAuditLog(log.db, { key: forger, horizon });
    // The forger could run the pruning itself with the superuser's rights: the record it leaves is not trusted.
    expect(forged).toMatchObject({ keyId: forger.keyId });
    const codes = (await log.verify()).problems.map((p) => p.code);
    expect(codes).toContain('PRUNING_SIGNATURE_INVALID');
    expect(codes).toContain('EVENT_MISSING');
  });
});

describe('audit / retention of an event that committed late', () => {
  let log: TestLog;
  beforeAll(async () => {
    log = await openTestLog();
  });
  afterAll(() => log.close());

  it('keeps an old event behind a younger one until the younger one is due too', async () => {
    const young = await log.append();
    await log.db.query(
      `insert into audit.event (occurred_at, actor_type, actor_id, service, action)
       values (now() - interval '400 days', 'PLATFORM', 'late', 'audit', 'TEST_EVENT')`,
    );
    await log.checkpoint();
    const record = await pruneAuditLog(log.db, { key: log.key, horizon: horizonOf(30, new Date()) });
    expect(record).toBeNull();
    expect((await log.db.query('select 1 from audit.event where id = $1', [young])).length).toBe(1);
    expect(
      await pruneAuditLog(log.db, { key: log.key, horizon: new Date(Date.now() + 60_000).toISOString() }),
    ).toMatchObject({
      belowLeafIndex: 2,
      count: 2,
    });
    expect(await log.verify()).toMatchObject({ ok: true, prunedEvents: 2 });
  });
});
