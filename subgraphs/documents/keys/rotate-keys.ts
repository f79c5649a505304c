// Key rotation: a new KEK version, then every data key re-wrapped under it, batch by batch. Only the wrapped data
// keys change; content is never read or rewritten. Each replace is its own statement, so stopping at any point loses
// nothing, and running again (resuming, or even rotating once more) finishes the work. A version that wraps nothing
// any more can then be retired: its key material leaves the key file for good.
import {
  KeyUnavailableError,
  KeyUnwrapError,
  type RotatableKeyEncryptionKeys,
} from './key-encryption-keys.ts';
import type { WrappedKeyRepository } from './wrapped-key-repository.ts';

export interface RotationProgress {
  /** 1 for the first batch. */
  batch: number;
  version: number;
  /** Totals so far. */
  rewrapped: number;
  skipped: number;
  /** Document ids in this batch whose data key did not unwrap (retired/unknown version, or bytes that do not verify). */
  unreadable: string[];
}

export interface RotationOptions {
  keys: RotatableKeyEncryptionKeys;
  repository: WrappedKeyRepository;
  /** Rows read and re-wrapped at a time. @default 500 */
  batchSize?: number;
  /** false: no new version, re-wrap what is not yet under the current one (resuming a stopped rotation). @default true */
  newVersion?: boolean;
  /** Called after each batch; throwing stops the rotation (what was replaced stays replaced). */
  onProgress?: (progress: RotationProgress) => void | Promise<void>;
}

export interface RotationResult {
  /** Data keys now wrapped under the new version. */
  rewrapped: number;
  /** Rows changed or deleted while they were re-wrapped: left as they are. */
  skipped: number;
  /** Rows whose data key did not unwrap: left as they are, and their version is not retired by retireUnused. */
  unreadable: number;
  version: number;
}

export async function rotateKeys(options: RotationOptions): Promise<RotationResult> {
  const { keys, repository, batchSize = 500, newVersion = true, onProgress } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize: a positive integer');
  const target = newVersion ? await keys.rotate() : keys.current();
  let rewrapped = 0;
  let skipped = 0;
  let unreadableTotal = 0;
  let after: string | undefined;
  for (let batch = 1; ; batch++) {
    const rows = await repository.stale(target, batchSize, after);
    if (rows.length === 0) break;
    const unreadable: string[] = [];
    for (const row of rows) {
      const context = { documentId: row.documentId, dataKeyId: row.dataKeyId };
      let dataKey: Buffer;
      try {
        dataKey = await keys.unwrap(row, context);
      } catch (error) {
        if (!(error instanceof KeyUnwrapError || error instanceof KeyUnavailableError)) throw error;
        unreadable.push(row.documentId);
        continue;
      }
      try {
        const next = await keys.wrap(dataKey, context);
        if (await repository.replace(row, next)) rewrapped++;
        else skipped++;
      } finally {
        dataKey.fill(0);
      }
    }
    unreadableTotal += unreadable.length;
    after = rows[rows.length - 1]?.documentId;
    await onProgress?.({ batch, version: target.version, rewrapped, skipped, unreadable });
  }
  return { rewrapped, skipped, unreadable: unreadableTotal, version: target.version };
}

/** Retires every version that is not current and wraps no data key; returns the versions retired now. */
export async function retireUnused(
  keys: RotatableKeyEncryptionKeys,
  repository: WrappedKeyRepository,
): Promise<number[]> {
  const { keyId } = keys.current();
  const inUse = new Set(
    (await repository.countByVersion()).filter((c) => c.keyId === keyId && c.count > 0).map((c) => c.version),
  );
  const retired: number[] = [];
  for (const v of keys.versions()) {
    if (v.current || v.retired || inUse.has(v.version)) continue;
    await keys.retire(v.version);
    retired.push(v.version);
  }
  return retired;
}
