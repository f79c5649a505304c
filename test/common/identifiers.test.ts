import { describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import {
  hasValidPersonNumberCheckDigits,
  isSyntheticPersonNumber,
  isUuid,
  isValidOrgnr,
} from '../../common/identifiers.ts';

describe('identifiers / organisation number', () => {
  it('accepts numbers with a valid mod-11 check digit', () => {
    for (const org of Object.values(DEMO_ORGS)) expect(isValidOrgnr(org.orgnr)).toBe(true);
  });
  it('refuses a wrong check digit, wrong length and non-digits', () => {
    expect(isValidOrgnr('910000005')).toBe(false);
    expect(isValidOrgnr('91000000')).toBe(false);
    expect(isValidOrgnr('91000000a')).toBe(false);
  });
});

describe('identifiers / fødselsnummer', () => {
  it('treats every demo person as synthetic with valid check digits', () => {
    for (const person of Object.values(DEMO_PERSONS)) expect(isSyntheticPersonNumber(person.pid)).toBe(true);
  });
  it('accepts the example numbers Digdir and Skatteetaten publish', () => {
    // ID-porten sample pid (synthetic) and Skatteetaten's example valid only under the 2032 rule.
    expect(hasValidPersonNumberCheckDigits('21879498012')).toBe(true);
    expect(hasValidPersonNumberCheckDigits('30108299939')).toBe(true);
  });
  it('refuses a wrong second check digit', () => {
    expect(hasValidPersonNumberCheckDigits('12838512312')).toBe(false);
  });
  it('does not count a number with an ordinary month as synthetic', () => {
    expect(isSyntheticPersonNumber('30108299939')).toBe(false);
  });
});

describe('identifiers / uuid', () => {
  it('accepts the canonical 8-4-4-4-12 form in either case, any version', () => {
    for (const id of [
      'a0000000-0000-4000-8000-000000000001',
      '5D1F3C2E-8A4B-4C6D-9E0F-1A2B3C4D5E6F',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ]) {
      expect(isUuid(id)).toBe(true);
    }
  });
  it('refuses what only looks like one: other spellings, other lengths, non-hex, dashes alone, non-strings', () => {
    for (const id of [
      '------------------------------------',
      'a0000000000040008000000000000001',
      '{a0000000-0000-4000-8000-000000000001}',
      'a0000000-0000-4000-8000-00000000000g',
      'a0000000-0000-4000-8000-0000000000011',
      'a0000000-0000-4000-8000-00000000001',
      'a0000000-0000-4000-8000-000000000001\n',
      ' a0000000-0000-4000-8000-000000000001',
      'a000000-00000-4000-8000-000000000001',
      '',
      42,
      null,
    ]) {
      expect(isUuid(id)).toBe(false);
    }
  });
});
