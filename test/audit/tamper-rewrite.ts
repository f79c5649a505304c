// What a database superuser can do to the log without the application: rewrite an event and then every hash above
// it — its leaf, the stored subtrees and each checkpoint's root — signed with whatever key they hold.
import { sign } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import { eventLeafHash } from '../../subgraphs/audit/canonical-event.ts';
import { signedContent } from '../../subgraphs/audit/checkpoint.ts';
import { MemoryTree } from '../../subgraphs/audit/merkle/tree.ts';
import type { AuditKey } from '../../subgraphs/audit/signing-key.ts';
import { TreeStore } from '../../subgraphs/audit/store/tree.ts';
import { VerificationReader } from '../../subgraphs/audit/store/verification.ts';

/** Recomputes every leaf hash from the events as they now are, every stored subtree, and every checkpoint whose root
 * changed (the others keep their real signatures, as a careful forger would leave them). */
export async function recomputeEverything(
  tx: Queryable,
  signer: AuditKey,
  claimedKeyId: string = signer.keyId,
): Promise<void> {
  const reader = new VerificationReader(tx);
  const rows = await reader.rows(0, await reader.leafEnd());
  const hashes = rows.map((r) => (r.event ? eventLeafHash(r.event, r.salt) : r.leafHash));
  for (const [i, row] of rows.entries()) {
    await tx.query(`update audit.leaf set leaf_hash = decode($2, 'hex') where leaf_index = $1`, [
      row.leafIndex,
      hashes[i]!.toString('hex'),
    ]);
  }
  const tree = new MemoryTree(hashes);
  await tx.query('delete from audit.node');
  for (let level = 1; tree.level(level).length > 0; level += 1) {
    for (const [index, hash] of tree.level(level).entries())
      await tx.query(`insert into audit.node values ($1, $2, decode($3, 'hex'))`, [
        level,
        index,
        hash.toString('hex'),
      ]);
  }
  for (const c of await new TreeStore(tx).checkpoints()) {
    if (tree.root(c.treeSize).toString('hex') === c.rootHash) continue;
    const head = { ...c, rootHash: tree.root(c.treeSize).toString('hex'), keyId: claimedKeyId };
    const signature = sign(null, Buffer.from(signedContent(head), 'utf8'), signer.privateKey);
    await tx.query(
      `update audit.checkpoint set root_hash = decode($2, 'hex'), key_id = $3, signature = $4 where tree_size = $1`,
      [c.treeSize, head.rootHash, claimedKeyId, signature],
    );
  }
}
