// Reading the log is itself an audit event (issue #10 item 4), stored before the answer leaves: if it cannot be,
// there is no answer, only AUDIT_UNAVAILABLE — the code the read audit of personal data answers with
// (runtime/personal-data-audit.ts). The log line names the driver's error code only: a database error's detail can
// quote the row, and this row holds a filter that may name a person.
import { platformError } from '../../common/errors.ts';
import type { AuditEventInput } from '../runtime/audit.ts';
import type { SubgraphContext } from '../runtime/types.ts';

export const AUDIT_UNAVAILABLE_MESSAGE = 'The audit log is unavailable; try again later.';

export async function recordRead(ctx: SubgraphContext<unknown>, event: AuditEventInput): Promise<void> {
  try {
    await ctx.audit.record(event);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    ctx.log.error({ auditError: typeof code === 'string' ? code : 'unknown' }, 'audit log read not recorded');
    throw platformError('AUDIT_UNAVAILABLE', AUDIT_UNAVAILABLE_MESSAGE);
  }
}
