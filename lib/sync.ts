// Go's sync primitives and `go` statement, as small as they can be, on ts-chan channels.
import { setMaxListeners } from 'node:events';
import { Chan } from 'ts-chan';

/** sync.Mutex: a channel of capacity 1 holds the lock (the Go idiom `sem := make(chan struct{}, 1)`). */
export class Mutex {
  readonly #held = new Chan<true>(1);

  /** Takes the lock, waiting while another task holds it. Free: taken at once, no macrotask yield. */
  async lock(): Promise<void> {
    if (!this.#held.trySend(true)) await this.#held.send(true);
  }

  /** Releases the lock; the longest waiter takes it next. */
  unlock(): void {
    if (this.#held.tryRecv() === undefined) throw new Error('sync: unlock of unlocked mutex');
  }
}

/** sync.WaitGroup: add before starting a task, done when it ends, wait for zero. */
export class WaitGroup {
  #n = 0;
  #waiters: (() => void)[] = [];

  add(delta: number): void {
    this.#n += delta;
    if (this.#n < 0) throw new Error('sync: negative WaitGroup counter');
    if (this.#n === 0) for (const wake of this.#waiters.splice(0)) wake();
  }

  done(): void {
    this.add(-1);
  }

  wait(): Promise<void> {
    return this.#n === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** A counting semaphore: a buffered channel of capacity k, one slot per holder (Go: `sem <- struct{}{}`). */
export class Semaphore {
  readonly #slots: Chan<true>;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`semaphore capacity must be a whole number >= 1, got ${k}`);
    this.#slots = new Chan<true>(k);
  }

  /** Takes a slot, waiting for one; rejects with `signal.reason` if aborted while waiting. */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (!this.#slots.trySend(true)) await this.#slots.send(true, signal);
  }

  release(): void {
    if (this.#slots.tryRecv() === undefined) throw new Error('semaphore: release without acquire');
  }
}

/**
 * `go f()`: starts a task that nobody awaits. Node kills the process on an unhandled rejection, so
 * the task's end is checked here: a task ended by `stop` is fine; any other error is a bug and is
 * rethrown, as a panic in a goroutine ends a Go program.
 */
export function go(task: Promise<unknown>, stop: AbortSignal): void {
  task.catch((error: unknown) => {
    if (!stop.aborted) throw error;
  });
}

/**
 * `for v := range ch`, ending also when `signal` aborts: ts-chan's own iterator cannot be aborted
 * while it waits, and a crawl that is stopped must not wait for messages that will never come.
 */
export async function* range<T>(ch: Chan<T>, signal: AbortSignal): AsyncGenerator<T> {
  while (!signal.aborted) {
    let next: IteratorResult<T, T | undefined>;
    try {
      next = ch.tryRecv() ?? (await ch.recv(signal));
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (next.done) return;
    yield next.value;
  }
}

/**
 * A signal that aborts when either of two does. Every blocked send listens on it, so it takes
 * any number of listeners (Node warns past 10).
 */
export function eitherSignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  const signal = a === undefined ? b : AbortSignal.any([a, b]);
  setMaxListeners(0, signal);
  return signal;
}
