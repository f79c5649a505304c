// The audit log is append-only for the application role (issue #10 item 6): as fiks_app, every write to every table
// of schema audit is refused by the database itself — insert, update, delete, truncate — and so are the salts, the
// owner's view and whole-log verification; appending through audit.append_event is the one way in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ROLE } from '../../db/application-role.ts';
import type { Queryable } from '../../db/database.ts';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { openTestLog, type TestLog } from './tamper-log.ts';

/** Each table of schema audit, and one of its columns. */
const TABLES = { event: 'action', leaf: 'leaf_index', node: 'level', checkpoint: 'tree_size' } as const;

describe('audit / append-only for the application role', () => {
  let log: TestLog;
  let eventId: string;

  /** Runs `sql` as fiks_app, with a caller in the settings as a request has; answers the SQLSTATE, or 'ok'. */
  async function asApp(sql: string, params: unknown[] = []): Promise<string> {
    try {
      await log.db.transaction(async (tx: Queryable) => {
        await tx.query(
          `select set_config('role', $1, true), set_config('fiks.actor_type', 'PERSON', true),
             set_config('fiks.actor_id', $2, true), set_config('fiks.pid', $2, true)`,
          [APPLICATION_ROLE, DEMO_PERSONS.ola.pid],
        );
        await tx.query(sql, params);
      });
      return 'ok';
    } catch (error) {
      return (error as { code?: string }).code ?? 'no code';
    }
  }

  beforeAll(async () => {
    log = await openTestLog();
    eventId = (await log.appendEach(2))[0]!;
  });
  afterAll(() => log.close());

  it.each(Object.entries(TABLES))('refuses to write to audit.%s in any way', async (table, column) => {
    const refused = '42501'; // insufficient_privilege
    expect(await asApp(`insert into audit.${table} default values`)).toBe(refused);
    expect(await asApp(`update audit.${table} set ${column} = null`)).toBe(refused);
    expect(await asApp(`delete from audit.${table}`)).toBe(refused);
    expect(await asApp(`truncate audit.${table}`)).toBe(refused);
    expect(await asApp(`alter table audit.${table} disable row level security`)).toBe(refused);
  });

  it('reads the tree but not the salts, the owner’s view, or the whole log', async () => {
    expect(await asApp('select leaf_index, event_id, leaf_hash from audit.leaf')).toBe('ok');
    expect(await asApp('select * from audit.node, audit.checkpoint')).toBe('ok');
    expect(await asApp('select salt from audit.leaf')).toBe('42501');
    expect(await asApp('select * from audit.canonical_event')).toBe('42501');
    expect(await asApp('select * from audit.verification_rows(0, 10)')).toBe('42501');
    expect(await asApp('select * from audit.unleafed_events()')).toBe('42501');
  });

  it('appends through audit.append_event, and the rows it wrote are still as they were', async () => {
    expect(
      await asApp(
        `select audit.append_event('PERSON', $1, null, $2, 'documents', 'DOCUMENT_READ', null, null, null, null)`,
        [DEMO_PERSONS.ola.pid, DEMO_ORGS.fjordvik.orgnr],
      ),
    ).toBe('ok');
    expect(await log.checkpoint()).toMatchObject({ treeSize: 3 });
    expect((await log.leafOrder())[0]).toBe(eventId);
    expect((await log.verify()).ok).toBe(true);
  });
});
