// npm run audit:verify: the whole audit log verified against the configured database, key and witness
// (docs/AUDIT-LOG.md). It prints what it found — leaf indices, event ids, checkpoint sizes, never an event's content —
// and exits 0 when the log is intact, 1 when something does not match, 2 when it could not verify at all.
// With embedded PGlite, stop the platform first: PGlite's folder is one process's at a time.
import { ConfigError, loadConfig } from '../common/config.ts';
import { openDatabase } from '../db/database.ts';
import { trustedKeys } from '../subgraphs/audit/checkpoint.ts';
import { existingAuditKey } from '../subgraphs/audit/signing-key.ts';
import { VerificationReader } from '../subgraphs/audit/store/verification.ts';
import type { AuditLogVerification, Problem } from '../subgraphs/audit/verification-report.ts';
import { verifyAuditLog } from '../subgraphs/audit/verify.ts';
import { readWitness } from '../subgraphs/audit/witness.ts';

const where = (p: Problem) =>
  [
    p.leafIndex !== null ? `leaf ${p.leafIndex}` : '',
    p.eventId ? `event ${p.eventId}` : '',
    p.treeSize !== null ? `checkpoint ${p.treeSize}` : '',
  ]
    .filter(Boolean)
    .join(', ');

function report(v: AuditLogVerification, witnessFile: string): void {
  console.log(
    `audit log: ${v.leaves} leaves, ${v.checkpoints} checkpoints (latest of size ${v.treeSize}), ` +
      `${v.witnessLines} witness lines in ${witnessFile}, ${v.prunedEvents} events pruned, ${v.pendingEvents} pending`,
  );
  if (v.ok) {
    console.log('intact: every event matches its leaf, every checkpoint and the witness');
    return;
  }
  if (v.firstMismatch) console.log(`FIRST MISMATCH: ${where(v.firstMismatch)} (${v.firstMismatch.code})`);
  for (const p of v.problems) console.log(`  ${p.code}: ${p.message}${where(p) ? ` [${where(p)}]` : ''}`);
  if (v.problemCount > v.problems.length) console.log(`  ... and ${v.problemCount - v.problems.length} more`);
}

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : 'invalid configuration');
    return 2;
  }
  const key = await existingAuditKey(config.auditLog);
  if (!key) {
    console.error(
      `no audit signing key: AUDIT_SIGNING_KEY is unset and ${config.auditLog.signingKeyFile} is missing`,
    );
    return 2;
  }
  const db = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dir: config.pgliteDir },
  );
  try {
    const verification = await verifyAuditLog(new VerificationReader(db), {
      keys: trustedKeys(key),
      witness: await readWitness(config.auditLog.witnessFile),
    });
    report(verification, config.auditLog.witnessFile);
    return verification.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  // Only a code: a database error's detail can quote a row.
  const code = (error as { code?: unknown } | null)?.code;
  console.error(`could not verify the audit log (${typeof code === 'string' ? code : 'error'})`);
  return 2;
});
