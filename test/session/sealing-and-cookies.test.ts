import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  loginCookie,
  loginCookieName,
  parseReturnTo,
  readCookie,
  sessionCookie,
} from '../../gateway/session/http.ts';
import { createSealer } from '../../gateway/session/sealer.ts';

const KEY = Buffer.alloc(32, 1).toString('base64url');

describe('gateway / session sealing', () => {
  it('seals with AES-256-GCM under a fresh IV each time and opens again', () => {
    const sealer = createSealer(KEY);
    const a = sealer.seal('eyJ.a.token', 'ctx');
    const b = sealer.seal('eyJ.a.token', 'ctx');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toContain('token');
    expect(sealer.open(a, 'ctx')).toBe('eyJ.a.token');
    expect(sealer.open(b, 'ctx')).toBe('eyJ.a.token');
  });

  it('records the key id in every value and refuses a value sealed under another key', () => {
    const sealer = createSealer(KEY);
    const other = createSealer(Buffer.alloc(32, 2).toString('base64url'));
    const sealed = sealer.seal('secret', 'ctx');
    expect(sealed.split('.').slice(0, 2)).toEqual(['v1', sealer.keyId]);
    expect(other.keyId).not.toBe(sealer.keyId);
    expect(() => other.open(sealed, 'ctx')).toThrow(/another key/);
  });

  it('refuses a value opened in another context or altered in any part', () => {
    const sealer = createSealer(KEY);
    const sealed = sealer.seal('secret', 'gateway.session:1:access_token');
    expect(() => sealer.open(sealed, 'gateway.session:2:access_token')).toThrow();
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      altered[i] = bytes.toString('base64url');
      expect(() => sealer.open(altered.join('.'), 'gateway.session:1:access_token')).toThrow();
    }
    expect(() => sealer.open('plain text', 'ctx')).toThrow();
  });

  it('accepts only a 32-byte base64url key, and makes a random one when none is given', () => {
    expect(() => createSealer('too-short')).toThrow(/32 bytes/);
    expect(() => createSealer(Buffer.alloc(31).toString('base64url'))).toThrow(/32 bytes/);
    expect(createSealer(undefined).keyId).not.toBe(createSealer(undefined).keyId);
  });
});

describe('gateway / session http details', () => {
  it('takes returnTo only as a path on the gateway itself', () => {
    const origin = 'http://gateway.example';
    expect(parseReturnTo(undefined, origin)).toBe('/');
    expect(parseReturnTo('/graphql?x=1#top', origin)).toBe('/graphql?x=1#top');
    expect(parseReturnTo('/a/../b', origin)).toBe('/b');
    for (const bad of [
      '',
      'graphql',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/..//evil.example',
      '/%2e%2e//evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      ['/a', '/b'],
      `/${'a'.repeat(3000)}`,
    ]) {
      expect(parseReturnTo(bad, origin), JSON.stringify(bad)).toBeNull();
    }
  });

  it('reads the session cookie from a Cookie header with other cookies around it', () => {
    expect(readCookie('a=1; fiks_session=abc; b=2', 'fiks_session')).toBe('abc');
    expect(readCookie('xfiks_session=abc', 'fiks_session')).toBeUndefined();
    expect(readCookie(undefined, 'fiks_session')).toBeUndefined();
  });

  it('marks the cookies Secure when the gateway is on HTTPS, and scopes the login cookie to the callback', () => {
    const https = { secure: true, callbackPath: '/fiks/auth/callback', maxAgeSeconds: 7200 };
    expect(sessionCookie(https, 'v')).toBe(
      'fiks_session=v; Path=/; Max-Age=7200; HttpOnly; SameSite=Lax; Secure',
    );
    expect(loginCookie(https, 'state', 'b')).toBe(
      `${loginCookieName('state')}=b; Path=/fiks/auth/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(loginCookieName('state')).toMatch(/^fiks_login_[A-Za-z0-9_-]{16}$/);
    expect(loginCookieName('state')).not.toBe(loginCookieName('other state'));
    expect(clearedSessionCookie({ ...https, secure: false })).toBe(
      'fiks_session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });
});
