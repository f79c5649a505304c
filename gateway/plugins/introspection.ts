// Who may introspect the schema (`__schema` and `__type` at the root; `__typename` is always allowed). In development
// any authenticated caller may: the explorer needs the schema, and it is in the repository anyway. In production only
// persons who administer something (ADMIN on some resource or type of resource in some organisation) and the
// platform's operators may: they are the ones who build queries in the explorer, while an integration runs operations
// written in advance and a citizen uses a frontend — neither needs a map of the whole API, and a stolen credential of
// either should not hand one over (OWASP GraphQL Cheat Sheet, "Introspection"). The rule is evaluated by the
// authorization walk (authorization.ts) like any field's, so a refusal is the usual whole-operation FORBIDDEN.
import { all, any, type Policy } from '../../access/policy.ts';
import { administersSomething, isAuthenticated, isPerson, isPlatformOperator } from '../../access/rules.ts';
import type { Config } from '../../common/config.ts';

export const INTROSPECTION_FOR_ANYONE_AUTHENTICATED: Policy = isAuthenticated;
export const INTROSPECTION_FOR_ADMINISTRATORS: Policy = all(
  isPerson,
  any(administersSomething, isPlatformOperator),
);

export function introspectionPolicy(mode: Config['mode']): Policy {
  return mode === 'production' ? INTROSPECTION_FOR_ADMINISTRATORS : INTROSPECTION_FOR_ANYONE_AUTHENTICATED;
}
