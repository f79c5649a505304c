// The policy language (access/policy.ts) that the gateway and every subgraph evaluate: each combinator, the third
// value ('defer': the check needs data only a subgraph has), short-circuiting, and fail-closed on broken checks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  all,
  allow,
  any,
  check,
  deny,
  evaluate,
  not,
  type Decision,
  type ParentKnowledge,
  type Policy,
  type PolicyInput,
} from '../../access/policy.ts';
import { fixedAccess, kari } from '../support/access.ts';

const input: PolicyInput = { principal: kari, access: fixedAccess({}), args: { orgnr: '910000004' } };
/** The gateway before planning: nothing of the parent known. */
const gateway: ParentKnowledge = new Set<string>();
/** A subgraph resolving the field: the parent object is there. */
const subgraph: ParentKnowledge = 'all';

const yes = check('yes', () => true, { needsParent: false });
const no = check('no', () => false, { needsParent: false });
const yesLater = check('yesLater', () => Promise.resolve(true), { needsParent: false });
const noLater = check('noLater', () => Promise.resolve(false), { needsParent: false });
/** Reads the parent (with no declared keys): only a subgraph can decide it; there it allows. */
const parentYes = check('parentYes', () => true, { needsParent: true });
const parentNo = check('parentNo', () => false, { needsParent: true });
/** Reads only the parent's orgnr: decidable at the gateway when the arguments name it. */
const parentOrgnr = check(
  'parentOrgnr',
  ({ parent }) => (parent as { orgnr?: string }).orgnr === '910000004',
  {
    needsParent: true,
    parentKeys: ['orgnr'],
  },
);
const throws = check(
  'throws',
  () => {
    throw new Error('broken rule');
  },
  { needsParent: false },
);
const rejects = check('rejects', () => Promise.reject(new Error('broken rule')), { needsParent: false });
/** A check that answers something other than a boolean (a bug in the rule, or a lookup's raw row). */
const returns = (value: unknown): Policy =>
  check(`returns(${String(value)})`, () => value as boolean, { needsParent: false });

type Row = [string, Policy, ParentKnowledge, Decision];

describe('access / policy evaluation', () => {
  it.each<Row>([
    ['allow', allow, gateway, 'allow'],
    ['deny', deny, gateway, 'deny'],
    ['a check answering true', yes, gateway, 'allow'],
    ['a check answering false', no, gateway, 'deny'],
    ['an async check answering true', yesLater, gateway, 'allow'],
    ['an async check answering false', noLater, gateway, 'deny'],
  ])('decides %s', async (_name, policy, parent, expected) => {
    expect(await evaluate(policy, input, parent)).toBe(expected);
  });

  it.each<Row>([
    ['a parent check at the gateway defers', parentYes, gateway, 'defer'],
    ['a parent check at the gateway defers even when it would refuse', parentNo, gateway, 'defer'],
    ['a parent check in the subgraph allows', parentYes, subgraph, 'allow'],
    ['a parent check in the subgraph refuses', parentNo, subgraph, 'deny'],
    [
      'a parent check without declared keys defers though other keys are known',
      parentYes,
      new Set(['orgnr']),
      'defer',
    ],
    ['a parent-key check defers when its key is unknown', parentOrgnr, new Set(['id']), 'defer'],
    ['a parent-key check is decided when its key is known', parentOrgnr, new Set(['orgnr']), 'allow'],
  ])('three-valued: %s', async (_name, policy, parent, expected) => {
    const parentObject = parent === subgraph || parent.has('orgnr') ? { orgnr: '910000004' } : undefined;
    expect(await evaluate(policy, { ...input, parent: parentObject }, parent)).toBe(expected);
  });

  it.each<Row>([
    ['not(allow)', not(allow), gateway, 'deny'],
    ['not(deny)', not(deny), gateway, 'allow'],
    ['not(a deferred check)', not(parentYes), gateway, 'defer'],
    ['not(not(allow))', not(not(allow)), gateway, 'allow'],
    ['all() of nothing', all(), gateway, 'deny'],
    ['all(allow, allow)', all(allow, yes), gateway, 'allow'],
    ['all(allow, deny)', all(yes, no), gateway, 'deny'],
    ['all(deny, allow)', all(no, yes), gateway, 'deny'],
    ['all(allow, defer)', all(yes, parentYes), gateway, 'defer'],
    ['all(defer, deny)', all(parentYes, no), gateway, 'deny'],
    ['all(deny, defer)', all(no, parentYes), gateway, 'deny'],
    ['any() of nothing', any(), gateway, 'deny'],
    ['any(deny, deny)', any(no, noLater), gateway, 'deny'],
    ['any(deny, allow)', any(no, yes), gateway, 'allow'],
    ['any(allow, deny)', any(yes, no), gateway, 'allow'],
    ['any(deny, defer)', any(no, parentNo), gateway, 'defer'],
    ['any(defer, allow)', any(parentNo, yes), gateway, 'allow'],
    ['not(all(allow, defer))', not(all(yes, parentYes)), gateway, 'defer'],
    ['any(not(defer), deny)', any(not(parentYes), no), gateway, 'defer'],
    ['all(any(deny, defer), not(deny))', all(any(no, parentNo), not(no)), gateway, 'defer'],
    ['all(any(deny, defer), not(deny)) with the data', all(any(no, parentNo), not(no)), subgraph, 'deny'],
    // A broken member does not decide what the data may yet decide: the gateway and the subgraph must agree.
    ['all(defer, broken)', all(parentNo, throws), gateway, 'defer'],
    ['not(all(defer, broken))', not(all(parentNo, throws)), gateway, 'defer'],
    ['not(all(deny, broken)) with the data', not(all(parentNo, throws)), subgraph, 'allow'],
    ['any(defer, broken)', any(parentYes, throws), gateway, 'defer'],
    ['any(allow, broken) with the data', any(parentYes, throws), subgraph, 'allow'],
  ])('combines %s', async (_name, policy, parent, expected) => {
    expect(await evaluate(policy, input, parent)).toBe(expected);
  });

  const broken: [string, Policy][] = [
    ['throws', throws],
    ['rejects', rejects],
    ['returns "true"', returns('true')],
    ['returns "false"', returns('false')],
    ['returns 1', returns(1)],
    ['returns 0', returns(0)],
    ['returns an object', returns({ holds: false })],
    ['returns an empty array', returns([])],
    ['returns null', returns(null)],
    ['returns undefined', returns(undefined)],
    [
      'resolves to "yes"',
      check('resolvesYes', () => Promise.resolve('yes') as never, { needsParent: false }),
    ],
  ];
  const contexts: [string, (p: Policy) => Policy][] = [
    ['alone', (p) => p],
    ['under not', (p) => not(p)],
    ['under not(not)', (p) => not(not(p))],
    ['in all with allow', (p) => all(allow, p)],
    ['in any with deny', (p) => any(deny, p)],
    ['in any with a deferred check', (p) => any(p, parentNo)],
    ['under not in all', (p) => all(yes, not(p))],
    ['under not in any with deny', (p) => any(not(p), no)],
  ];
  describe.each(broken)('fail-closed: a check that %s', (_name, brokenCheck) => {
    it.each(contexts)('never allows %s, at the gateway or in a subgraph', async (_context, wrap) => {
      const policy = wrap(brokenCheck);
      expect(await evaluate(policy, input, gateway)).not.toBe('allow');
      expect(await evaluate(policy, input, subgraph)).not.toBe('allow');
    });
  });

  it('still allows through another branch of any, in either order, when one branch is broken', async () => {
    expect(await evaluate(any(throws, yes), input, gateway)).toBe('allow');
    expect(await evaluate(any(yes, throws), input, gateway)).toBe('allow');
  });

  it.each<[string, unknown]>([
    ['an unknown kind', { kind: 'maybe' }],
    ['no kind', {}],
    ['a function', () => true],
    ['all with a malformed member', all(allow, { kind: 'maybe' } as unknown as Policy)],
    ['any with only a malformed member', any({ kind: 'maybe' } as unknown as Policy)],
    ['not of a malformed policy', not({ kind: 'maybe' } as unknown as Policy)],
  ])('refuses a malformed policy: %s', async (_name, policy) => {
    expect(await evaluate(policy as Policy, input, subgraph)).toBe('deny');
  });

  // `spy` and `parentSpy` count their calls; the rows that expect a call show the counting works.
  it.each<[string, (spy: Policy, parentSpy: Policy) => Policy, ParentKnowledge, number]>([
    ['all stops at the first deny', (spy) => all(no, spy), gateway, 0],
    ['all goes on after an allow', (spy) => all(yes, spy), gateway, 1],
    ['all goes on after a defer', (spy) => all(parentYes, spy), gateway, 1],
    ['any stops at the first allow', (spy) => any(yes, spy), gateway, 0],
    ['any goes on after a deny', (spy) => any(no, spy), gateway, 1],
    ['not(any) stops at the first allow', (spy) => not(any(yesLater, spy)), subgraph, 0],
    ['a parent check is not run without the parent', (_spy, parentSpy) => all(yes, parentSpy), gateway, 0],
    ['a parent check is run with the parent', (_spy, parentSpy) => all(yes, parentSpy), subgraph, 1],
  ])('short-circuits: %s', async (_name, build, parent, calls) => {
    let counted = 0;
    const count = () => (counted++, true);
    const policy = build(
      check('spy', count, { needsParent: false }),
      check('parentSpy', count, { needsParent: true }),
    );
    await evaluate(policy, { ...input, parent: {} }, parent);
    expect(counted).toBe(calls);
  });

  it('gives a check the principal, the arguments and the parent it was asked with', async () => {
    const seen: PolicyInput[] = [];
    const recording = check('recording', (i) => (seen.push(i), true), { needsParent: true });
    const parent = { orgnr: '921000006' };
    await evaluate(recording, { ...input, parent }, subgraph);
    expect(seen).toEqual([{ ...input, parent }]);
  });
});

/** A random policy tree over deterministic leaves: some decidable only with the parent, some broken. */
function policyTree(): fc.Arbitrary<Policy> {
  const leaf = fc.constantFrom<Policy>(
    allow,
    deny,
    yes,
    no,
    noLater,
    parentYes,
    parentNo,
    throws,
    returns(1),
  );
  const { tree } = fc.letrec<{ tree: Policy }>((self) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      self('tree').map(not),
      fc.array(self('tree'), { minLength: 1, maxLength: 3 }).map((ps) => all(...ps)),
      fc.array(self('tree'), { minLength: 1, maxLength: 3 }).map((ps) => any(...ps)),
    ),
  }));
  return tree;
}

describe('access / policy evaluation, over generated policies', () => {
  it('decides at the gateway only what the subgraph would decide the same way', async () => {
    await fc.assert(
      fc.asyncProperty(policyTree(), async (policy) => {
        const early = await evaluate(policy, input, gateway);
        const late = await evaluate(policy, { ...input, parent: {} }, subgraph);
        expect(late).not.toBe('defer');
        if (early !== 'defer') expect(late).toBe(early);
      }),
      { numRuns: 2000 },
    );
  });

  it('never allows a policy whose every leaf is broken, however it is combined', async () => {
    const brokenLeaf = fc.constantFrom(throws, rejects, returns('true'), returns(1), returns({}));
    const { tree } = fc.letrec<{ tree: Policy }>((self) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        brokenLeaf,
        self('tree').map(not),
        fc.array(self('tree'), { minLength: 1, maxLength: 3 }).map((ps) => all(...ps)),
        fc.array(self('tree'), { minLength: 1, maxLength: 3 }).map((ps) => any(...ps)),
      ),
    }));
    await fc.assert(
      fc.asyncProperty(tree, async (policy) => {
        expect(await evaluate(policy, input, subgraph)).toBe('deny');
      }),
      { numRuns: 500 },
    );
  });
});
