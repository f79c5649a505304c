// SQL of retention: which prefix of the tree is due, and deleting its events' content (never a leaf or checkpoint).
import { TreeWriter } from './tree.ts';

export class RetentionWriter extends TreeWriter {
  /** The first leaf whose event occurred at or after the horizon; the tree size when every event is older. */
  async firstLeafAtOrAfter(horizon: string): Promise<number> {
    const rows = await this.db.query<{ below: string }>(
      `select coalesce(
         (select min(l.leaf_index) from audit.leaf l join audit.event e on e.id = l.event_id
          where e.occurred_at >= $1::timestamptz),
         (select coalesce(max(tree_size), 0) from audit.checkpoint))::text as below`,
      [horizon],
    );
    return Number(rows[0]?.below ?? 0);
  }

  async deleteContentBelow(leafIndex: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `with gone as (
         delete from audit.event e using audit.leaf l
         where l.event_id = e.id and l.leaf_index < $1::bigint returning 1)
       select count(*)::int as n from gone`,
      [String(leafIndex)],
    );
    return rows[0]?.n ?? 0;
  }
}
