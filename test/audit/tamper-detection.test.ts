// Tamper evidence (issue #10 items 6 and 7): a database superuser changes, deletes, inserts and reorders rows of the
// audit log directly, or rewrites its history and every hash above it, and verification names the event each time.
// Each change is made in a transaction that is rolled back, so every test starts from the same intact log: eight
// events, each followed by its own checkpoint, so that a checkpoint pins every single leaf.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/database.ts';
import { eventLeafHash, type CanonicalFields } from '../../subgraphs/audit/canonical-event.ts';
import { trustedKeys } from '../../subgraphs/audit/checkpoint.ts';
import { VerificationReader } from '../../subgraphs/audit/store/verification.ts';
import type { AuditLogVerification } from '../../subgraphs/audit/verification-report.ts';
import { verifyAuditLog } from '../../subgraphs/audit/verify.ts';
import { readWitness } from '../../subgraphs/audit/witness.ts';
import { newKey, openTestLog, type TestLog } from './tamper-log.ts';
import { recomputeEverything } from './tamper-rewrite.ts';

class RolledBack extends Error {}

describe('audit / tamper detection', () => {
  let log: TestLog;
  let ids: string[];

  /** Verification after `change`, made as the superuser, then undone. */
  async function afterChange(
    change: (tx: Queryable) => Promise<void>,
    options: { witness?: boolean } = {},
  ): Promise<AuditLogVerification> {
    let result: AuditLogVerification | undefined;
    const witness =
      options.witness === false ? { lines: [], unreadable: [] } : await readWitness(log.witnessFile);
    await log.db
      .transaction(async (tx) => {
        await change(tx);
        result = await verifyAuditLog(new VerificationReader(tx), { keys: trustedKeys(log.key), witness });
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return result!;
  }

  beforeAll(async () => {
    log = await openTestLog();
    ids = await log.appendEach(8);
  });
  afterAll(() => log.close());

  it('finds nothing wrong with the log as the application wrote it', async () => {
    expect(await log.leafOrder()).toEqual(ids);
    const verification = await log.verify();
    expect(verification).toMatchObject({
      ok: true,
      treeSize: 8,
      leaves: 8,
      checkpoints: 8,
      witnessLines: 16,
      problems: [],
      firstMismatch: null,
    });
  });

  it('hashes an event’s time as the database holds it: in UTC, to the microsecond', async () => {
    let spelled: string | undefined;
    await log.db
      .transaction(async (tx) => {
        const [event] = await tx.query<{ id: string }>(
          `insert into audit.event (occurred_at, actor_type, actor_id, service, action)
           values ('2026-03-10 10:14:03.250113+01', 'PLATFORM', 'clock', 'audit', 'TEST_EVENT') returning id`,
        );
        const [row] = await tx.query<{ t: string }>(
          'select occurred_at as t from audit.canonical_event where id = $1',
          [event!.id],
        );
        spelled = row?.t;
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    expect(spelled).toBe('2026-03-10T09:14:03.250113Z');
  });

  it('names the event whose column was changed', async () => {
    const v = await afterChange(async (tx) => {
      await tx.query(`update audit.event set legal_basis = 'personopplysningsloven' where id = $1`, [ids[3]]);
    });
    expect(v.ok).toBe(false);
    expect(v.firstMismatch).toMatchObject({ code: 'LEAF_HASH_MISMATCH', leafIndex: 3, eventId: ids[3] });
    expect(v.problems).toHaveLength(1);
  });

  it('names the event whose payload was changed by one digit', async () => {
    const v = await afterChange(async (tx) => {
      await tx.query(`update audit.event set payload = jsonb_set(payload, '{n}', '60') where id = $1`, [
        ids[6],
      ]);
    });
    expect(v.firstMismatch).toMatchObject({ code: 'LEAF_HASH_MISMATCH', leafIndex: 6, eventId: ids[6] });
  });

  it('names the event that was deleted', async () => {
    const v = await afterChange(async (tx) => {
      await tx.query('delete from audit.event where id = $1', [ids[5]]);
    });
    expect(v.firstMismatch).toMatchObject({ code: 'EVENT_MISSING', leafIndex: 5, eventId: ids[5] });
    expect(v.problems).toHaveLength(1);
  });

  it('names an event inserted into the middle of the tree with a forged leaf', async () => {
    const forged = randomUUID();
    const v = await afterChange(async (tx) => {
      await tx.query(
        `insert into audit.event (id, actor_type, actor_id, orgnr, service, action)
         values ($1, 'PLATFORM', 'nobody', '910000004', 'documents', 'DOCUMENT_READ')`,
        [forged],
      );
      const [fields] = await tx.query<CanonicalFields>(
        `select id_text as id, occurred_at as "occurredAt", actor_type as "actorType", actor_id as "actorId",
           on_behalf_of as "onBehalfOf", orgnr, service, action, data_subject as "dataSubject",
           legal_basis as "legalBasis", request_id as "requestId", payload
         from audit.canonical_event where id = $1`,
        [forged],
      );
      // Leaves 4.. move up by one to make room, then the forged event's leaf, correctly hashed, goes in at 4.
      await tx.query('update audit.leaf set leaf_index = leaf_index + 1000 where leaf_index >= 4');
      await tx.query('update audit.leaf set leaf_index = leaf_index - 999 where leaf_index >= 1000');
      const salt = randomBytes(32);
      await tx.query(`insert into audit.leaf values (4, $1, decode($2, 'hex'), decode($3, 'hex'))`, [
        forged,
        salt.toString('hex'),
        eventLeafHash(fields!, salt).toString('hex'),
      ]);
    });
    expect(v.firstMismatch).toMatchObject({ leafIndex: 4, eventId: forged });
    expect(v.problems.map((p) => p.code)).toContain('CHECKPOINT_ROOT_MISMATCH');
  });

  it('names the first of two leaves that were swapped', async () => {
    const v = await afterChange(async (tx) => {
      await tx.query('update audit.leaf set leaf_index = 100 where leaf_index = 2');
      await tx.query('update audit.leaf set leaf_index = 2 where leaf_index = 6');
      await tx.query('update audit.leaf set leaf_index = 6 where leaf_index = 100');
    });
    // Each leaf still hashes its own event: only the order is wrong, and the checkpoints from size 3 on say so.
    expect(v.problems.map((p) => p.code)).not.toContain('LEAF_HASH_MISMATCH');
    expect(v.firstMismatch).toMatchObject({
      code: 'CHECKPOINT_ROOT_MISMATCH',
      leafIndex: 2,
      eventId: ids[6],
    });
  });

  it('names an event inserted behind the log’s back, below the latest checkpoint, in no leaf', async () => {
    const sneaked = randomUUID();
    const v = await afterChange(async (tx) => {
      await tx.query(
        `insert into audit.event (id, seq, actor_type, actor_id, orgnr, service, action)
         overriding system value values ($1, 0, 'PLATFORM', 'nobody', '910000004', 'documents', 'DOCUMENT_READ')`,
        [sneaked],
      );
    });
    expect(v.firstMismatch).toMatchObject({ code: 'EVENT_NOT_IN_TREE', leafIndex: null, eventId: sneaked });
  });

  describe('a history rewritten, every hash and checkpoint recomputed', () => {
    const rewrite =
      (signer = newKey(), claimedKeyId?: string) =>
      async (tx: Queryable) => {
        await tx.query(`update audit.event set legal_basis = null where id = $1`, [ids[3]]);
        await recomputeEverything(tx, signer, claimedKeyId);
      };

    it('is caught by the forged signatures, even without the witness, at the changed event', async () => {
      for (const witness of [true, false]) {
        const v = await afterChange(rewrite(newKey(), log.key.keyId), { witness });
        expect(v.problems.map((p) => p.code)).not.toContain('LEAF_HASH_MISMATCH');
        expect(v.problems.map((p) => p.code)).toContain('CHECKPOINT_SIGNATURE_INVALID');
        expect(v.firstMismatch, `witness: ${witness}`).toMatchObject({ leafIndex: 3, eventId: ids[3] });
      }
    });

    it('signed with another key, is refused as signed by an unknown key', async () => {
      const v = await afterChange(rewrite(newKey()), { witness: false });
      expect(v.firstMismatch).toMatchObject({
        code: 'CHECKPOINT_KEY_UNKNOWN',
        leafIndex: 3,
        eventId: ids[3],
      });
    });

    it('re-signed with the real key, is caught by the witness at the changed event', async () => {
      const v = await afterChange(rewrite(log.key));
      expect(v.problems.map((p) => p.code)).not.toContain('CHECKPOINT_SIGNATURE_INVALID');
      expect(v.problems.map((p) => p.code)).toContain('WITNESS_MISMATCH');
      expect(v.firstMismatch).toMatchObject({ leafIndex: 3, eventId: ids[3] });
      // Without a witness, a history re-signed with the key cannot be told from the real one: why it exists.
      expect((await afterChange(rewrite(log.key), { witness: false })).ok).toBe(true);
    });
  });

  it('refuses a forged checkpoint, and with the witness knows the events are intact', async () => {
    const forge = async (tx: Queryable) => {
      await tx.query(
        `update audit.checkpoint set root_hash = decode(repeat('ab', 32), 'hex') where tree_size = 8`,
      );
    };
    const v = await afterChange(forge);
    expect(v.problems.map((p) => p.code).sort()).toEqual([
      'CHECKPOINT_INCONSISTENT',
      'CHECKPOINT_ROOT_MISMATCH',
      'CHECKPOINT_SIGNATURE_INVALID',
      'WITNESS_MISMATCH',
    ]);
    expect(v.problems.every((p) => p.treeSize === 8 && p.leafIndex === null)).toBe(true);
    // Without the witness, the checkpoint and the last leaf cannot be told apart: the leaf is named.
    const alone = await afterChange(forge, { witness: false });
    expect(alone.firstMismatch).toMatchObject({ leafIndex: 7, eventId: ids[7], treeSize: 8 });
  });

  it('notices a witness checkpoint the database lost', async () => {
    const v = await afterChange(async (tx) => {
      await tx.query('delete from audit.checkpoint where tree_size = 5');
    });
    expect(v.problems.map((p) => p.code)).toEqual(['WITNESS_CHECKPOINT_MISSING']);
  });
});
