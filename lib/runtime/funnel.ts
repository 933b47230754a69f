// The results funnel the designs share: a task sends on a channel, a generator yields what arrives.
import type { Chan } from 'ts-chan';
import { eitherSignal } from './abort.js';
import { makeChan, range } from './chan.js';

/**
 * Runs `task`, which sends what it finds on `results` (a channel of `capacity`), and yields what
 * arrives until the task ends. `signal` stops the task (no fetch starts, those in flight are
 * aborted), and everything it sent is still yielded. A consumer that stops early stops it too: the
 * channel closes, so every send still blocked fails, and the generator returns only when the task
 * has ended.
 */
export async function* funnel<T>(signal: AbortSignal | undefined, capacity: number, task: (results: Chan<T>, signal: AbortSignal) => Promise<void>): AsyncGenerator<T> {
  const results = makeChan<T>(capacity);
  const stop = new AbortController();
  const stopped = eitherSignal(signal, stop.signal);
  let open = true;
  const close = () => open && ((open = false), results.close());
  const done = task(results, stopped).finally(close);
  try {
    yield* range(results);
  } finally {
    stop.abort();
    close();
    await done.catch((error: unknown) => {
      if (!stopped.aborted) throw error; // a stopped task ends in a failed send; anything else is a bug
    });
  }
}
