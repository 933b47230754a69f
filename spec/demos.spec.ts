// Each demo in demos/ claims something about the lecture's lessons; these run the demos and check
// the claims against the counts the demos measured.
import { describe, expect, it } from 'vitest';
import { atomic } from '../demos/atomic.js';
import { deadlock } from '../demos/deadlock.js';
import { race } from '../demos/race.js';
import { redisLesson } from '../demos/redis.js';
import { rpc } from '../demos/rpc.js';
import { termination } from '../demos/termination.js';
import { twice } from '../demos/twice.js';

describe('demo-race', () => {
  it('loses updates across an await without a lock, and none under the Mutex', async () => {
    const c = await race(30, 10);
    expect(c.expected).toBe(300);
    expect(c.lostUnlocked).toBeGreaterThan(0);
    expect(c.unlocked + c.lostUnlocked).toBe(c.expected);
    expect(c.lostLocked).toBe(0);
    expect(c.locked).toBe(c.expected);
  });
});

describe('demo-atomic', () => {
  it('n = n + 1 with no await inside loses nothing; with an await inside, and across threads, it loses; Atomics.add does not', async () => {
    const c = await atomic(50, 50, 2, 50);
    expect(c.taskLost).toBe(0);
    expect(c.splitLost).toBeGreaterThan(0);
    expect(c.plainLost).toBeGreaterThan(0);
    expect(c.plainLost).toBeLessThan(c.plainMade);
    expect(c.atomicsMade).toBeGreaterThan(0);
    expect(c.atomicsLost).toBe(0);
  });
});

describe('demo-twice', () => {
  it('Serial without its fetched map circles until the step limit; with it, fetches each URL once', async () => {
    const c = await twice(undefined, [], 60);
    expect(c.serialFetches).toBe(c.serialUrls);
    expect(c.stoppedByLimit).toBe(true);
    expect(c.forgetfulFetches).toBeGreaterThanOrEqual(c.stepLimit);
    expect(c.forgetfulFetches).toBeLessThan(c.stepLimit + 5); // the limit, not something else, ended it
    expect(c.forgetfulMostOfOne).toBeGreaterThan(1);
  });

  it('ConcurrentMutex fetches duplicates when its check and set are split by an await, and none with testAndSet', async () => {
    const c = await twice();
    for (const m of c.mutex) {
      expect(m.duplicates, m.graph).toBe(0);
      expect(m.fetches, m.graph).toBe(m.urls);
      expect(m.splitFetches - m.urls, m.graph).toBe(m.splitDuplicates);
    }
    expect(Math.max(...c.mutex.map((m) => m.splitDuplicates))).toBeGreaterThan(0);
  });
});

describe('demo-termination', () => {
  it('ends by itself with n == 0 when every worker sends, and waits until the timeout with n == 1 when one does not', async () => {
    const c = await termination(undefined, 300);
    expect(c.sends.finished).toBe(true);
    expect(c.sends.owed).toBe(0);
    expect(c.sends.started).toBe(5);
    expect(c.silent.finished).toBe(false);
    expect(c.silent.owed).toBe(1);
    expect(c.silent.ms).toBeGreaterThanOrEqual(290);
  });
});

describe('demo-deadlock', () => {
  it('Go dies with its deadlock error and exit 2; Node exits silently; a timeout makes it an error; our unbuffered design ends, and its stop frees every worker', async () => {
    const c = await deadlock(100);
    expect(c.goMissing).toBeUndefined(); // Go is part of this project's set-up (.ci/run installs it)
    for (const run of [c.go!.send, c.go!.nosend]) {
      expect(run.stderr).toContain('fatal error: all goroutines are asleep - deadlock!');
      expect(run.code).toBe(2);
    }
    expect(c.go!.send.stderr).toContain('[chan send]');
    expect(c.go!.nosend.stderr).toContain('[chan receive]');
    expect(c.go!.fixed.code).toBe(0);
    expect(c.go!.fixed.stdout).toContain('n == 0');
    expect(c.nodeAwaited.code).toBe(13);
    expect(c.nodeAwaited.stdout).not.toContain('never printed');
    expect(c.nodeAwaited.stderr).toBe('');
    expect(c.nodeUnawaited.code).toBe(0);
    expect(c.nodeUnawaited.stderr).toBe('');
    expect(c.timeoutError).toContain('timed out');
    expect(c.timedOutAfterMs).toBeGreaterThanOrEqual(95);
    // The design's default channel is Go's unbuffered one: no send completes without a receiver.
    expect(c.defaultBuffer).toBe(0);
    expect(c.sentUnreceived).toBe(0);
    expect(c.failedOnClose).toBe(3);
    expect(c.sentUnreceivedInf).toBe(3);
    expect(c.designResults).toBe(5);
    expect(c.waitingAtStop).toBeGreaterThan(0); // the slow consumer held workers at their send
    expect(c.inFlightAtStop).toBeGreaterThan(0);
    expect(c.abortedAtStop).toBe(c.inFlightAtStop);
    expect(c.inFlightAfterStop).toBe(0);
  });
});

describe('demo-rpc', () => {
  for (const server of ['here', 'child'] as const) {
    it(`the three designs get the same results through a fetch service (${server === 'child' ? 'in another process' : 'in this process'}) as from the fixture fetcher`, async () => {
      const c = await rpc(server);
      expect(c.runs).toHaveLength(12);
      if (server === 'child') expect(c.serverPid).not.toBe(process.pid);
      for (const r of c.runs) {
        expect(r.remote, `${r.variant} on ${r.fixture}`).toHaveLength(r.local.length);
        if (r.variant === 'serial') expect(r.remote).toEqual(r.local);
        else expect([...r.remote].sort()).toEqual([...r.local].sort());
        expect(r.same).toBe(true);
        expect(r.calls).toBe(r.local.length); // one call per fetch: the designs fetch each URL once
        if (r.variant === 'serial') expect(r.peakInFlight).toBe(1);
      }
      const fan = c.runs.filter((r) => r.fixture === 'wide-fan.json' && r.variant !== 'serial');
      for (const r of fan) expect(r.peakInFlight, r.variant).toBeGreaterThan(100); // the root's 200 links are called at once
    });
  }
});

describe('demo-redis', () => {
  it('SADD tells one of many "new"; n, shared, ends at 0; a worker killed mid-crawl loses nothing: its entries are taken after the lease', async () => {
    const c = await redisLesson(1500, 3, 1000);
    expect([c.askers, c.answeredNew]).toEqual([8, 1]);
    expect(c.linksNew).toBe(c.expected - 1); // each URL sent once, whoever found it
    expect(c.linksSent).toBeGreaterThan(c.linksNew);
    expect(c.nMax).toBeGreaterThan(1);
    expect(c.nEnd).toBe(0);
    expect(c.killedHeld).toBeGreaterThan(0);
    expect(c.retaken).toBeGreaterThan(0);
    expect(c.retaken).toBeLessThanOrEqual(4); // its --concurrency: only what it held comes back
    expect([c.reported, c.duplicates, c.missing]).toEqual([c.expected, 0, 0]);
  }, 60_000);
});
