// The results funnel the designs share: a task sends on a channel, a generator yields what arrives.
import { eitherSignal } from './abort.js';
import { makeChan, range, type Chan } from './chan.js';

/**
 * Runs `task`, which sends what it finds on `results` (a channel of `capacity`), and yields what
 * arrives until the task ends. `signal` stops the task (no fetch starts, those in flight are
 * aborted), and everything it sent is still yielded. A consumer that stops early stops it too: the
 * channel closes, so every send still blocked fails, and the generator returns only when the task
 * has ended. A task that fails before it was stopped fails the generator, after what it sent.
 */
export async function* funnel<T>(
  signal: AbortSignal | undefined,
  capacity: number,
  task: (results: Chan<T>, signal: AbortSignal) => Promise<void>,
): AsyncGenerator<T> {
  const results = makeChan<T>(capacity);
  const stop = new AbortController();
  const stopped = eitherSignal(signal, stop.signal);
  let open = true;
  const close = () => open && ((open = false), results.close());
  // Judged when the task ends, not in the finally below: that aborts `stop` first, and would make every failure look like a stop.
  const done = task(results, stopped).then(
    () => undefined,
    (error: unknown) => (stopped.aborted ? undefined : { error }), // a stopped task ends in a failed send; anything else is a bug
  );
  void done.finally(close);
  try {
    yield* range(results);
  } finally {
    stop.abort();
    close();
    await done.then((failed) => {
      if (failed !== undefined) throw failed.error;
    });
  }
}
