import { describe, expect, it } from 'vitest';
import { withoutTrailingSlashes } from '../../common/urls.ts';

describe('common / urls', () => {
  it('drops every trailing slash and nothing else', () => {
    expect(withoutTrailingSlashes('https://altinn.example/api///')).toBe('https://altinn.example/api');
    expect(withoutTrailingSlashes('https://altinn.example/a/b')).toBe('https://altinn.example/a/b');
    expect(withoutTrailingSlashes('///')).toBe('');
  });

  it('takes a long run of slashes that does not end the string in one pass (no ReDoS)', () => {
    const crafted = `${'/'.repeat(100_000)}x`;
    expect(withoutTrailingSlashes(crafted)).toBe(crafted);
  });
});
