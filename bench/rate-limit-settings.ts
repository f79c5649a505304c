// The benches measure the platform's own cost under load from one or a few callers, far past any rate limit a
// deployment would set: their platforms run with budgets no run reaches, so no answer is a 429. (The rate limit's
// own cost, one in-memory count per request, is part of what they measure.)
export const BENCH_UNTHROTTLED: Record<string, string> = {
  RATE_LIMIT_INTEGRATION_MAX: '100000000',
  RATE_LIMIT_PERSON_MAX: '100000000',
  RATE_LIMIT_ADDRESS_MAX: '100000000',
};
