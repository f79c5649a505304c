// Which operation a request runs, from how it names it and the caller's mode — the decision alone, no I/O:
//
//   names it by id (extensions.persistedQuery.sha256Hash, documentId)  → the registered operation, or
//                                                                        404 PERSISTED_QUERY_NOT_IN_LIST in any mode
//   sends an id and text                                               → 400 CANNOT_SEND_PQ_ID_AND_BODY
//   sends text, mode id-only                                           → 400 PERSISTED_QUERY_ID_REQUIRED
//   sends text that is a registered operation's (safelist, audit)      → that operation
//   sends other text: safelist                                         → 403 QUERY_NOT_IN_SAFELIST
//                     audit                                            → runs; the caller logs its hash
//
// Codes and statuses are Apollo Router's (apollo-router src/services/layers/persisted_queries), so a client written
// for the router reads ours the same way.
import type { OperationList, TrustedOperation } from './operation-list.ts';

export const OPERATIONS_MODES = ['audit', 'safelist', 'id-only'] as const;
export type OperationsMode = (typeof OPERATIONS_MODES)[number];

export function isOperationsMode(value: unknown): value is OperationsMode {
  return (OPERATIONS_MODES as readonly unknown[]).includes(value);
}

export interface NamedOperation {
  /** The id the request names, if any. */
  id: string | undefined;
  /** The text the request sends, if any. */
  text: string | undefined;
}

export type TrustedRefusalCode =
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  | 'CANNOT_SEND_PQ_ID_AND_BODY'
  | 'PERSISTED_QUERY_ID_REQUIRED'
  | 'QUERY_NOT_IN_SAFELIST';

export type Resolution =
  | { kind: 'trusted'; operation: TrustedOperation }
  | { kind: 'unregistered' }
  | { kind: 'none' }
  | { kind: 'refused'; code: TrustedRefusalCode; status: number; message: string };

export function resolveOperation(
  named: NamedOperation,
  mode: OperationsMode,
  list: OperationList,
): Resolution {
  const { id, text } = named;
  if (id !== undefined && text !== undefined) {
    return refused('CANNOT_SEND_PQ_ID_AND_BODY', 400, 'Send either an operation id or its text, not both.');
  }
  if (id !== undefined) {
    const operation = list.byId.get(id);
    // The id is not echoed: it is the caller's input, and the log has it with the request id.
    return operation
      ? { kind: 'trusted', operation }
      : refused(
          'PERSISTED_QUERY_NOT_IN_LIST',
          404,
          'The operation id is not in the list of trusted operations.',
        );
  }
  if (text === undefined) return { kind: 'none' };
  if (mode === 'id-only') {
    return refused(
      'PERSISTED_QUERY_ID_REQUIRED',
      400,
      'Only trusted operations named by id may run: send documentId or extensions.persistedQuery.sha256Hash.',
    );
  }
  const operation = list.byText.get(text);
  if (operation) return { kind: 'trusted', operation };
  if (mode === 'safelist') {
    return refused('QUERY_NOT_IN_SAFELIST', 403, 'The operation is not in the list of trusted operations.');
  }
  return { kind: 'unregistered' };
}

function refused(code: TrustedRefusalCode, status: number, message: string): Resolution {
  return { kind: 'refused', code, status, message };
}
