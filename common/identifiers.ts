// Norwegian identifiers. Organisation numbers: 9 digits, mod-11 check digit with weights 3 2 7 6 5 4 3 2.
// Fødselsnumre and d-numre: FIKS-FACTS §8, both the classic rule and the 2032 rule for k1.

const ORGNR_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

export function isValidOrgnr(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = ORGNR_WEIGHTS.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  const remainder = sum % 11;
  const check = remainder === 0 ? 0 : 11 - remainder;
  return check !== 10 && check === digits[8];
}

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** Check digits of an 11-digit personal number, accepting both the classic and the 2032 k1 rule. */
export function hasValidPersonNumberCheckDigits(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const d = [...value].map(Number);
  const s1 = K1_WEIGHTS.reduce((acc, w, i) => acc + w * d[i]!, 0) + d[9]!;
  const s2 = K2_WEIGHTS.reduce((acc, w, i) => acc + w * d[i]!, 0) + d[10]!;
  // Classic rule: s1 ≡ 0 (mod 11). From 2032 also 1, 2 or 3. k2 is unchanged.
  return s1 % 11 <= 3 && s2 % 11 === 0;
}

/** Synthetic numbers (Skatteetaten/Tenor, TestID): month + 80, third digit 8 or 9. */
export function isSyntheticPersonNumber(value: string): boolean {
  return hasValidPersonNumberCheckDigits(value) && (value[2] === '8' || value[2] === '9');
}

// RFC 9562 §4: the canonical text of a UUID is 32 hexadecimal digits in groups of 8-4-4-4-12, and is case-insensitive
// on input. PostgreSQL's uuid type also accepts braces, missing dashes and other spellings; nothing here does, so
// every id the platform passes on has one spelling, and nothing reaches the database that it would refuse.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one UUID check of the platform: the canonical 8-4-4-4-12 form, in either case. Any version or variant. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
