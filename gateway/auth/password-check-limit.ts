// A bound on concurrent password checks (#9 item 3). Each check is one scrypt on libuv's thread pool (four threads
// by default), which JWT verification through WebCrypto and DNS share: unbounded, a flood of wrong passwords queues
// every other caller's work behind its own. At most `concurrent` checks run, `queued` more wait their turn in order,
// and anything beyond is refused at once with AUTHENTICATION_BUSY, before any work.
import { authenticationBusy } from './auth-error.ts';

export interface PasswordCheckLimitOptions {
  /** Checks running at once. @default 2 (half the default thread pool) */
  concurrent: number;
  /** Checks waiting for a free slot; beyond them a check is refused. @default 8 */
  queued: number;
}

export interface PasswordCheckLimit {
  /** Runs `check` when a slot is free; throws AuthError(503, AUTHENTICATION_BUSY) when none is free soon. */
  run<T>(check: () => Promise<T>): Promise<T>;
  /** Checks running and waiting now. */
  readonly load: { running: number; waiting: number };
}

export function createPasswordCheckLimit(options: PasswordCheckLimitOptions): PasswordCheckLimit {
  const { concurrent, queued } = options;
  if (!Number.isInteger(concurrent) || concurrent < 1) throw new TypeError('concurrent must be at least 1');
  if (!Number.isInteger(queued) || queued < 0) throw new TypeError('queued must be at least 0');
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next in line, so a newcomer cannot jump the queue.
    if (next) next();
    else running -= 1;
  };

  return {
    async run(check) {
      if (running < concurrent) running += 1;
      else if (waiting.length < queued) await new Promise<void>((resolve) => waiting.push(resolve));
      else throw authenticationBusy();
      try {
        return await check();
      } finally {
        release();
      }
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
