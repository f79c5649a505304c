// Authorization policies: small, declarative rules that both the gateway (before planning, without the data) and
// every subgraph (through graphql-shield, with the data) evaluate. One definition, two places, so the two can never
// disagree about what a rule means.
import type { Principal } from './principal.ts';
import type { AccessChecker } from './access-checker.ts';

/** What a rule may look at. `parent` is absent at the gateway, which decides before any data exists. */
export interface PolicyInput {
  principal: Principal;
  access: AccessChecker;
  args: Record<string, unknown>;
  parent?: unknown;
}

export type Decision = 'allow' | 'deny' | 'defer';

export type Policy =
  | { kind: 'allow' }
  | { kind: 'deny' }
  | { kind: 'all'; policies: Policy[] }
  | { kind: 'any'; policies: Policy[] }
  | { kind: 'not'; policy: Policy }
  | {
      kind: 'check';
      name: string;
      /** The check reads the parent object (resolved data), so only a subgraph can decide it ... */
      needsParent: boolean;
      /** ... unless it reads only these parent fields and the gateway knows them from the arguments (for
       * `organization(orgnr: X) { resources }` the parent's orgnr is X). */
      parentKeys?: string[];
      check(input: PolicyInput): boolean | Promise<boolean>;
    };

export const allow: Policy = { kind: 'allow' };
export const deny: Policy = { kind: 'deny' };

export function all(...policies: Policy[]): Policy {
  return { kind: 'all', policies };
}
export function any(...policies: Policy[]): Policy {
  return { kind: 'any', policies };
}
export function not(policy: Policy): Policy {
  return { kind: 'not', policy };
}
export function check(
  name: string,
  fn: (input: PolicyInput) => boolean | Promise<boolean>,
  options: { needsParent: boolean; parentKeys?: string[] },
): Policy {
  return { kind: 'check', name, needsParent: options.needsParent, parentKeys: options.parentKeys, check: fn };
}

/** What is known of the parent: everything (a subgraph, with the data) or some fields (the gateway, from args). */
export type ParentKnowledge = 'all' | ReadonlySet<string>;

/**
 * Evaluates a policy. A check that needs parent fields that are not known (at the gateway) is 'defer': the subgraph
 * decides. An unclear rule is a refusal: a check that throws or answers anything but a boolean, a malformed policy,
 * and an empty `all` deny — and `not` cannot turn such a refusal into an allow.
 */
export async function evaluate(
  policy: Policy,
  input: PolicyInput,
  parent: ParentKnowledge,
): Promise<Decision> {
  const outcome = await decide(policy, input, parent);
  return outcome === 'broken' ? 'deny' : outcome;
}

/** 'broken' is a refusal that negation keeps a refusal; `any` may still allow through another, working branch. */
type Outcome = Decision | 'broken';

async function decide(policy: Policy, input: PolicyInput, parent: ParentKnowledge): Promise<Outcome> {
  // Policies are typed, but a malformed one (a plain object, a function) must still refuse rather than fall through.
  if (typeof policy !== 'object' || policy === null) return 'broken';
  switch (policy.kind) {
    case 'allow':
      return 'allow';
    case 'deny':
      return 'deny';
    case 'not': {
      const inner = await decide(policy.policy, input, parent);
      return inner === 'allow' ? 'deny' : inner === 'deny' ? 'allow' : inner;
    }
    case 'all': {
      const { policies } = policy;
      // An empty conjunction would be a public field that does not say `allow`.
      if (!Array.isArray(policies) || policies.length === 0) return 'broken';
      return combine(policies, 'deny', 'allow', input, parent);
    }
    case 'any': {
      const { policies } = policy;
      if (!Array.isArray(policies)) return 'broken';
      return combine(policies, 'allow', 'deny', input, parent);
    }
    case 'check': {
      if (policy.needsParent && parent !== 'all') {
        const keys = policy.parentKeys;
        if (!keys || !keys.every((k) => parent.has(k))) return 'defer';
      }
      try {
        const answer: unknown = await policy.check(input);
        return answer === true ? 'allow' : answer === false ? 'deny' : 'broken';
      } catch {
        return 'broken';
      }
    }
    default:
      return 'broken';
  }
}

/**
 * `all` and `any`: the first `decisive` outcome decides and ends the evaluation; otherwise an unknown member ('defer')
 * leaves the whole unknown, since the subgraph may yet find it decisive — a broken member must not decide that at the
 * gateway, or the gateway and the subgraph would disagree under `not`. Then a broken member refuses.
 */
async function combine(
  policies: Policy[],
  decisive: 'allow' | 'deny',
  otherwise: 'allow' | 'deny',
  input: PolicyInput,
  parent: ParentKnowledge,
): Promise<Outcome> {
  let deferred = false;
  let broken = false;
  for (const p of policies) {
    const d = await decide(p, input, parent);
    if (d === decisive) return d;
    if (d === 'defer') deferred = true;
    if (d === 'broken') broken = true;
  }
  return deferred ? 'defer' : broken ? 'broken' : otherwise;
}

/** Whether the policy lets anyone at all through, authenticated or not (used by the coverage test). */
export function isPublic(policy: Policy): boolean {
  return policy.kind === 'allow';
}
