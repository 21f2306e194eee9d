/**
 * Odoo's login cooldown (odoo/addons/base/models/res_users.py, `_assert_can_auth` and
 * `_on_login_cooldown`), in front of every backend: after `after` failed logins (Odoo's
 * `base.login_cooldown_after`, 5) a login attempt is refused for `durationMs` after the last failure
 * (`base.login_cooldown_duration`, 60 s) with Odoo's AccessDenied "Too many login failures, please wait a
 * bit before trying again.", without checking the password and without counting the refusal. Once the
 * cooldown has passed, one attempt goes through; if it fails too, the cooldown starts again. A
 * successful login clears the failures, as in Odoo.
 *
 * Odoo counts per client address only. Here failures are also counted per login, so that an attacker
 * with many addresses still gets no more than `after` guesses at one account per cooldown (the price:
 * failures from anywhere can hold a login back for `durationMs`, as in any per-account lockout). And
 * attempts in flight count: while a login is being checked, at most `after - failures` attempts (at
 * least one) may run for the same address or login, so a burst of parallel guesses sent before the
 * first failure is recorded cannot slip past the limit (in Odoo it can).
 *
 * Counters live in this process, forgotten an hour (or the cooldown, if longer) after the last failure
 * and bounded in number, the least recently failed dropped first.
 */

export interface LoginCooldown {
  /** Failures before the cooldown; 0 turns it off. */
  readonly after: number;
  readonly durationMs: number;
}

/** Odoo 17's defaults. */
export const ODOO_LOGIN_COOLDOWN: LoginCooldown = { after: 5, durationMs: 60_000 };

/** Odoo 17's message (res_users.py), in its AccessDenied. */
export const COOLDOWN_MESSAGE = 'Too many login failures, please wait a bit before trying again.';

const FORGET_AFTER_MS = 3600_000;
const MAX_COUNTERS = 50_000;
const MAX_LOGIN_KEY = 256;

/** One login attempt let through: say how it ended, once. */
export interface LoginAttempt {
  /** A wrong login or password; true when this failure starts a cooldown (of the address or the login). */
  failed(): boolean;
  succeeded(): void;
  /** Neither: the check could not be made (overload, upstream down); nothing is counted. */
  abandoned(): void;
}

interface Counter {
  failures: number;
  last: number;
  inFlight: number;
}

/** Failure counters by key, least recently touched first. */
class Counters {
  readonly #entries = new Map<string, Counter>();

  constructor(
    private readonly cooldown: LoginCooldown,
    private readonly forgetMs: number,
  ) {}

  /** True when an attempt for `key` must be refused now. */
  refuses(key: string, now: number): boolean {
    const counter = this.#entries.get(key);
    if (!counter) return false;
    const { after, durationMs } = this.cooldown;
    if (counter.failures >= after && now - counter.last < durationMs) return true;
    return counter.inFlight >= Math.max(1, after - counter.failures);
  }

  begin(key: string, now: number): void {
    const counter = this.#touch(key) ?? { failures: 0, last: now, inFlight: 0 };
    counter.inFlight++;
    this.#entries.set(key, counter);
    this.#prune(now);
  }

  /** Ends an attempt; true when it was the failure that reached the cooldown. */
  end(key: string, outcome: 'failed' | 'succeeded' | 'abandoned', now: number): boolean {
    const counter = this.#touch(key);
    if (!counter) return false; // dropped meanwhile (bounded size)
    counter.inFlight = Math.max(0, counter.inFlight - 1);
    if (outcome === 'failed') {
      counter.failures++;
      counter.last = now;
    } else if (outcome === 'succeeded') {
      counter.failures = 0;
    }
    if (counter.failures === 0 && counter.inFlight === 0) this.#entries.delete(key);
    else this.#entries.set(key, counter);
    return outcome === 'failed' && counter.failures >= this.cooldown.after;
  }

  /** The counter of `key`, taken out of the map so that setting it again makes it the most recent. */
  #touch(key: string): Counter | undefined {
    const counter = this.#entries.get(key);
    if (counter) this.#entries.delete(key);
    return counter;
  }

  #prune(now: number): void {
    for (const [key, counter] of this.#entries) {
      const stale = counter.inFlight === 0 && now - counter.last > this.forgetMs;
      if (!stale && this.#entries.size <= MAX_COUNTERS) return;
      this.#entries.delete(key);
    }
  }
}

export class LoginThrottle {
  readonly #byAddress: Counters;
  readonly #byLogin: Counters;

  constructor(
    private readonly cooldown: LoginCooldown = ODOO_LOGIN_COOLDOWN,
    private readonly now: () => number = Date.now,
  ) {
    const forgetMs = Math.max(FORGET_AFTER_MS, cooldown.durationMs);
    this.#byAddress = new Counters(cooldown, forgetMs);
    this.#byLogin = new Counters(cooldown, forgetMs);
  }

  /**
   * An attempt from `address` (see client-address.ts) to log in as `login`, or undefined when either is
   * cooling down (answer COOLDOWN_MESSAGE, check nothing).
   */
  begin(address: string, login: string): LoginAttempt | undefined {
    if (this.cooldown.after <= 0) return NOT_COUNTED;
    const now = this.now();
    // Logins are matched as given, but "Admin" must not be a fresh counter for "admin".
    const loginKey = login.toLowerCase().slice(0, MAX_LOGIN_KEY);
    if (this.#byAddress.refuses(address, now) || this.#byLogin.refuses(loginKey, now)) return undefined;
    this.#byAddress.begin(address, now);
    this.#byLogin.begin(loginKey, now);
    let ended = false;
    const end = (outcome: 'failed' | 'succeeded' | 'abandoned'): boolean => {
      if (ended) return false;
      ended = true;
      const at = this.now();
      const byAddress = this.#byAddress.end(address, outcome, at);
      const byLogin = this.#byLogin.end(loginKey, outcome, at);
      return byAddress || byLogin;
    };
    return { failed: () => end('failed'), succeeded: () => void end('succeeded'), abandoned: () => void end('abandoned') };
  }
}

const NOT_COUNTED: LoginAttempt = Object.freeze({ failed: () => false, succeeded() {}, abandoned() {} });
