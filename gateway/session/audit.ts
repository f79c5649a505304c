// What the browser login records in the audit log (issue #10 item 4): logins, logouts and failed logins. The gateway
// assembly passes its security events (gateway/audit/security-events.ts); without them (a session module built
// alone, as the session tests do) nothing is recorded.
//
// Never a token, code, state, cookie or session id: who, at which level, from where, and why a login failed.
import type { Acr } from '../../access/principal.ts';

export interface SessionAudit {
  /** A person logged in; resolves once stored, rejects when it cannot be (the login is then refused). */
  login(event: { pid: string; acr: Acr; requestId: string; source: string }): Promise<void>;
  /** A person's session ended at their request, here (`gateway`) or at ID-porten (`idporten`, front channel). */
  logout(event: {
    pid: string;
    requestId: string;
    source: string;
    via: 'gateway' | 'idporten';
  }): Promise<void>;
  /** A login refused, counted per source and window; `reason` is a stable code (`unknown_state`, `login_rate`). */
  loginFailed(source: string, reason: string): void;
}

export const NO_SESSION_AUDIT: SessionAudit = {
  login: () => Promise.resolve(),
  logout: () => Promise.resolve(),
  loginFailed: () => undefined,
};
