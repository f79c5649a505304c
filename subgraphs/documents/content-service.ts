// The only code that encrypts, decrypts and unwraps document keys (issue #11 items 2–5). Content arrives as a stream
// and leaves as one: it is encrypted segment by segment on the way into the content store and decrypted segment by
// segment on the way out, so memory stays flat whatever the size.
//
// Who may have a document's content is asked twice here before a data key is unwrapped — the field rule `seesContent`
// (permissions.ts) and row-level security on the key's row (migration 004: a caller the document is not exposed to
// reads no key) — and the documents subgraph's rules ask it a third time before a download link is issued. No path
// unwraps a key without passing both checks here.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Transform, pipeline, type Readable } from 'node:stream';
import { actorOf } from '../../access/actor.ts';
import type { ErrorCode } from '../../common/errors.ts';
import type { Queryable } from '../../db/database.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { sees } from '../runtime/visibility.ts';
import { decryptingStream, encryptingStream } from './content/segmented-aead.ts';
import { personsOf } from './exposure.ts';
import { seesContent } from './permissions.ts';
import type { DocumentResources } from './resources.ts';
import type { DocumentRow, DocumentsStore, PendingDocument } from './store.ts';

type Ctx = SubgraphContext<DocumentsStore>;

/** A refusal or failure with its HTTP status and stable code; the message says nothing of keys or content. */
export class ContentError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const CONTENT_REFUSED = () => new ContentError(403, 'FORBIDDEN', 'Du har ikke tilgang til dette.');

export interface StoredContent {
  sizeBytes: number;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
}

export interface OpenedContent {
  stream: Readable;
  /** Plaintext bytes [start, end] of `total`. */
  start: number;
  end: number;
  total: number;
}

export class DocumentContentService {
  constructor(private readonly resources: DocumentResources) {}

  /**
   * Stores an upload's content as document `documentId`. The document exists (UPLOADING, the uploader's alone) with
   * its wrapped key before the first byte is written and becomes visible only when the whole content is stored and
   * `onStored` (the upload's audit event, in the same transaction) succeeded; any failure — the uploader going away,
   * the size limit, the time limit, a recipient opting out meanwhile, the audit log — leaves no document and no
   * content.
   */
  async store(
    ctx: Ctx,
    documentId: string,
    pending: PendingDocument,
    body: Readable,
    onStored: (stored: StoredContent, tx: Queryable) => Promise<void>,
  ): Promise<StoredContent> {
    const { keys, content, settings } = this.resources;
    if ((await ctx.store.optedOut(personsOf(pending.exposures))).length > 0) throw optedOut();
    const dataKey = randomBytes(32);
    const dataKeyId = randomUUID();
    try {
      const wrapped = await keys.wrap(dataKey, { documentId, dataKeyId });
      await ctx.store.beginUpload(documentId, pending, actorOf(ctx.principal), {
        dataKeyId,
        keyId: wrapped.keyId,
        version: wrapped.version,
        wrapped: wrapped.wrapped,
      });
      let stored: StoredContent;
      try {
        stored = await this.encryptInto(documentId, dataKey, dataKeyId, body, settings.maxBytes, settings);
        const outcome = await ctx.store.completeUpload(documentId, stored.sizeBytes, stored.sha256, (tx) =>
          onStored(stored, tx),
        );
        if (outcome === 'OPTED_OUT') throw optedOut();
      } catch (error) {
        await content.delete(documentId).catch(() => undefined);
        await ctx.store.abortUpload(documentId).catch(() => undefined);
        throw error;
      }
      return stored;
    } finally {
      dataKey.fill(0);
    }
  }

  private encryptInto(
    documentId: string,
    dataKey: Buffer,
    dataKeyId: string,
    body: Readable,
    maxBytes: number,
    settings: DocumentResources['settings'],
  ): Promise<StoredContent> {
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes)
          return done(new ContentError(413, 'PAYLOAD_TOO_LARGE', 'The document is too large.'));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const cipher = encryptingStream(dataKey, { documentId, keyId: dataKeyId });
    return new Promise<StoredContent>((resolve, reject) => {
      const deadline = setTimeout(
        () => body.destroy(new ContentError(408, 'BAD_REQUEST', 'The upload took too long.')),
        settings.uploadMaxSeconds * 1000,
      );
      let failure: unknown;
      // The source's end of the pipe: a body that breaks off (the uploader went away) fails the cipher, so the
      // content store removes its temporary and nothing remains.
      pipeline(body, meter, cipher, (error) => {
        if (error) failure = error;
      });
      this.resources.content.write(documentId, cipher).then(
        () => {
          clearTimeout(deadline);
          if (failure) return reject(failure instanceof Error ? failure : new Error('upload failed'));
          resolve({ sizeBytes: size, sha256: hash.digest('hex') });
        },
        (error: unknown) => {
          clearTimeout(deadline);
          const cause = failure ?? error;
          reject(cause instanceof Error ? cause : new Error('upload failed'));
        },
      );
    });
  }

  /**
   * The plaintext of a document (or of a byte range of it) as a stream, for a caller it is exposed to. Resolves
   * once the first segment needed has verified, so a wrong key or tampered content is answered with an error
   * status; a later segment that fails cuts the stream.
   */
  async open(
    ctx: Ctx,
    document: DocumentRow,
    range?: { start: number; end: number },
  ): Promise<OpenedContent> {
    if (document.state !== 'STORED' || !(await sees(seesContent, document, ctx))) throw CONTENT_REFUSED();
    // Row-level security: the key's row exists for callers the document is exposed to and nobody else.
    const stored = await ctx.store.dataKey(document.id);
    if (!stored) throw CONTENT_REFUSED();
    const dataKey = await this.unwrap(stored, document.id);
    const total = document.sizeBytes;
    const start = range?.start ?? 0;
    const end = range?.end ?? Math.max(total - 1, 0);
    try {
      const stream = await decryptingStream({
        dataKey,
        binding: { documentId: document.id, keyId: stored.dataKeyId },
        plaintextSize: total,
        range,
        read: (from, to) => this.resources.content.read(document.id, { start: from, end: to }),
      });
      stream.once('close', () => dataKey.fill(0));
      return { stream, start, end, total };
    } catch (error) {
      dataKey.fill(0);
      throw asContentError(error);
    }
  }

  private async unwrap(
    stored: { keyId: string; version: number; wrapped: Buffer; dataKeyId: string },
    id: string,
  ) {
    try {
      return await this.resources.keys.unwrap(
        { keyId: stored.keyId, version: stored.version, wrapped: stored.wrapped },
        { documentId: id, dataKeyId: stored.dataKeyId },
      );
    } catch (error) {
      throw asContentError(error);
    }
  }

  /** Removes a deleted document's content (its key is already gone); idempotent. */
  async remove(documentId: string): Promise<void> {
    await this.resources.content.delete(documentId);
  }
}

function optedOut(): ContentError {
  return new ContentError(
    409,
    'RECIPIENT_OPTED_OUT',
    'A person this document is for does not let the document store keep documents for them.',
  );
}

const CRYPTO_CODES: ReadonlySet<string> = new Set([
  'DOCUMENT_CONTENT_TAMPERED',
  'DOCUMENT_KEY_MISMATCH',
  'DOCUMENT_KEY_UNAVAILABLE',
  'DOCUMENT_KEY_UNWRAP_FAILED',
]);

/** Errors of the format and the key store keep their code; a range past the end is 416; anything else is ours. */
export function asContentError(error: unknown): ContentError {
  if (error instanceof ContentError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CRYPTO_CODES.has(code))
    return new ContentError(
      500,
      code as ErrorCode,
      'The document content cannot be read: it failed its checks.',
    );
  if ((error as Error | null)?.name === 'UnsatisfiableRangeError')
    return new ContentError(416, 'RANGE_NOT_SATISFIABLE', 'The range is outside the document.');
  if (code === 'CONTENT_NOT_FOUND')
    return new ContentError(500, 'DOCUMENT_CONTENT_TAMPERED', 'The document content is missing.');
  return new ContentError(503, 'SERVICE_UNAVAILABLE', 'The document store is unavailable; try again later.');
}
