/**
 * A short `npm run soak` (bench/soak.ts) in the normal suite: 5 s of 32 clients mixing REST and GraphQL
 * reads and writes as four users against the real server process, then the invariants, then a kill -9
 * during a write storm. The 60 s run is `npm run soak`.
 */
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { runCrashTest } from '../../bench/lib/crash-test.js';
import { removeData, runSoak } from '../../bench/lib/soak.js';

describe('soak (5 s)', () => {
  it('SOAK-01 32 clients, four users, REST and GraphQL: every acknowledged create once, nothing seen by the wrong user, no 5xx, RSS bounded; then kill -9 loses no acknowledged write', async () => {
    const soak = await runSoak({ seconds: 5, clients: 32, maxRssBytes: 250 * 1024 * 1024, templateDb: inject('templateDb') });
    try {
      expect(soak.missingOrDuplicated).toEqual([]);
      expect(soak.violations).toEqual([]);
      expect(soak.unexpected).toEqual([]);
      expect(soak.serverErrors).toBe(0);
      expect(soak.acknowledgedCreates).toBeGreaterThan(50);
      expect(soak.peakRssBytes).toBeLessThan(250 * 1024 * 1024);
      const crash = await runCrashTest(soak.dataDir, soak.keys.admin, { clients: 16, killAfterAcks: 60, maxSeconds: 20 });
      expect(crash).toMatchObject({ integrity: 'ok', problems: [], restartedAndServed: true, ok: true });
    } finally {
      removeData(soak.dataDir);
    }
  }, 60_000);
});
