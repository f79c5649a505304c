import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-graph.ts';

// The folder rules themselves (which folder may import which) are ESLint's no-restricted-imports (eslint.config.js),
// so a wrong arrow fails `npm run lint`. What ESLint cannot see file by file is a cycle; this looks at the whole graph.
describe('architecture / dependencies', () => {
  it('has no import cycle between files, type-only imports included', () => {
    expect(cycles(importGraph())).toEqual([]);
  });

  it('finds a cycle when there is one (the check is not vacuous)', () => {
    const graph = importGraph();
    expect(graph.get('gateway/index.ts')).toContain('gateway/plugins/index.ts');
    graph.set('gateway/plugins/index.ts', [
      ...(graph.get('gateway/plugins/index.ts') ?? []),
      'gateway/index.ts',
    ]);
    expect(cycles(graph)).toEqual([['gateway/index.ts', 'gateway/plugins/index.ts']]);
  });

  it('reads type-only imports too', () => {
    expect(importGraph().get('gateway/context.ts')).toContain('access/principal.ts');
  });
});
