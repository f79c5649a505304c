// The statement that puts a transaction's settings in place: `select set_config($1, $2, true), set_config($3, $4,
// true), …`, every name and every value a parameter, so nothing of a caller's ever becomes SQL text. The third
// argument makes each setting transaction-local (PostgreSQL, "Configuration Settings Functions": is_local), gone at
// commit or rollback, so a pooled connection carries nothing over to the next transaction.

/** Transaction-local settings, each a name and a value, applied in this order. */
export type TransactionSettings = readonly (readonly [name: string, value: string])[];

export function settingsStatement(settings: TransactionSettings): {
  text: string;
  params: string[];
} {
  const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  return { text: `select ${calls.join(', ')}`, params: settings.flat() };
}
