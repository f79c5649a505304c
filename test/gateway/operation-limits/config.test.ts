// The operation limits come from configuration, with the defaults the plugin documents.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../common/config.ts';
import { DEFAULT_OPERATION_LIMITS } from '../../../gateway/plugins/operation-limits/limits.ts';

describe('operation limits / configuration', () => {
  it("defaults to the plugin's documented defaults", () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_OPERATION_LIMITS);
  });

  it('reads every limit and per-field list sizes from their variables', () => {
    const limits = loadConfig({
      MAX_OPERATION_DEPTH: '8',
      MAX_OPERATION_ALIASES: '30',
      MAX_ROOT_FIELDS: '4',
      MAX_OPERATION_DIRECTIVES: '20',
      MAX_OPERATION_TOKENS: '2000',
      MAX_OPERATION_COST: '100000',
      LIST_SIZE_ESTIMATE: '25',
      LIST_SIZE_ESTIMATES: 'Organization.resources=50,Resource.children=20',
    }).limits;
    expect(limits).toEqual({
      maxDepth: 8,
      maxAliases: 30,
      maxRootFields: 4,
      maxDirectives: 20,
      maxTokens: 2000,
      maxCost: 100000,
      listSizeEstimate: 25,
      listSizes: { 'Organization.resources': 50, 'Resource.children': 20 },
    });
  });

  it.each([
    ['MAX_OPERATION_DEPTH', '0'],
    ['MAX_OPERATION_COST', 'lots'],
    ['MAX_OPERATION_TOKENS', '2.5'],
    ['LIST_SIZE_ESTIMATES', 'resources=50'],
    ['LIST_SIZE_ESTIMATES', 'Organization.resources=0'],
    ['LIST_SIZE_ESTIMATES', 'Organization.resources=5,'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
