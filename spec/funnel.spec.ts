// The results funnel: what a task sends is yielded, a task's own failure reaches the consumer,
// and a consumer that stops early stops the task quietly.
import { describe, expect, it } from 'vitest';
import { funnel } from '../lib/runtime/funnel.js';

describe('funnel', () => {
  it('a task that fails on its own fails the generator, after everything it sent', async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const v of funnel<number>(undefined, 1, async (results) => {
        await results.send(1);
        await results.send(2);
        throw new Error('boom');
      }))
        seen.push(v);
    };
    await expect(run()).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });

  it('a consumer that stops early ends the task quietly: its failed send is no error', async () => {
    let ended = false;
    for await (const v of funnel<number>(undefined, 1, async (results, signal) => {
      try {
        for (let i = 0; ; i++) await results.send(i); // fails once the consumer has gone
      } finally {
        ended = signal.aborted;
      }
    }))
      if (v === 3) break;
    expect(ended).toBe(true);
  });

  it('a task stopped by the signal ends quietly, whatever its last send threw', async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    for await (const v of funnel<number>(stop.signal, 1, async (results, signal) => {
      await results.send(1);
      stop.abort();
      signal.throwIfAborted();
    }))
      seen.push(v);
    expect(seen).toEqual([1]);
  });
});
