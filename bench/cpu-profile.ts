// Where a V8 CPU profile (node:inspector's Profiler) spent its time, by location in our own code: shared by
// `npm run bench:profile` and `bench/audit-profile.ts`.
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const OWN = /\/((?:gateway|access|auditlog|common|subgraphs|platform)\/[^?]*)$/;
const isOwn = (url: string) => OWN.test(url) && !url.includes('/node_modules/');

/** CPU time in µs per location. A sample counts for the innermost frame of our own code on its stack (so a library
 * call is charged to our function that made it); samples with none of our code on the stack count for the leaf
 * frame's package (or the native function's name). Idle time is left out. */
export function timeByLocation(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode): string => {
    const { url, functionName } = node.callFrame;
    const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (dependency) return dependency;
    if (url.startsWith('wasm://')) return 'wasm (PGlite)';
    return url ? url.replace(/^.*\//, '') : functionName || '(native)';
  };
  const where = new Map<number, string>();
  for (const node of profile.nodes) {
    let at: ProfileNode | undefined = node;
    while (at && !isOwn(at.callFrame.url)) at = byId.get(parent.get(at.id) ?? -1);
    where.set(
      node.id,
      at ? `${OWN.exec(at.callFrame.url)![1]}:${at.callFrame.functionName || '(anonymous)'}` : label(node),
    );
  }
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    const key = where.get(id)!;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}
