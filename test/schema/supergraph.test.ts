import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE, composeSupergraph } from '../../schema/compose.ts';

describe('schema / supergraph', () => {
  it('composes without errors and matches the checked-in supergraph (run `npm run compose` when this fails)', () => {
    expect(composeSupergraph()).toBe(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  });
});
