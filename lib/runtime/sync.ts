// Go's sync primitives, `go` statement, channels and `range`, as small as they can be.
import { setMaxListeners } from 'node:events';
import { Chan, CloseOfClosedChannelError, SendOnClosedChannelError, getYieldGeneration, yieldToMacrotaskQueue } from 'ts-chan';
import Queue from 'yocto-queue';

const taken = Promise.resolve();

/**
 * sync.Mutex. Waiters line up in a linked list (yocto-queue): a ts-chan Chan of capacity 1 is the Go
 * idiom, but its waiters sit in an array whose shift() costs O(n) past ~30k of them, and a large
 * crawl's tasks all meet at the fetched map's lock.
 */
export class Mutex {
  #locked = false;
  readonly #waiters = new Queue<() => void>();

  /** Takes the lock, waiting in line while another task holds it. */
  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return taken; // not an async function: each of a large crawl's lock calls would cost a promise more
    }
    return new Promise<void>((resolve) => this.#waiters.enqueue(resolve));
  }

  /** Releases the lock, handing it straight to the longest waiter if there is one. */
  unlock(): void {
    if (!this.#locked) throw new Error('sync: unlock of unlocked mutex');
    const next = this.#waiters.dequeue();
    if (next === undefined) this.#locked = false;
    else next();
  }
}

/** sync.WaitGroup: add before starting a task, done when it ends, wait for zero. */
export class WaitGroup {
  #n = 0;
  #waiters: (() => void)[] | undefined; // made on the first wait: a large crawl has a WaitGroup per page

  add(delta: number): void {
    this.#n += delta;
    if (this.#n < 0) throw new Error('sync: negative WaitGroup counter');
    if (this.#n === 0 && this.#waiters !== undefined) for (const wake of this.#waiters.splice(0)) wake();
  }

  done(): void {
    this.add(-1);
  }

  wait(): Promise<void> {
    return this.#n === 0 ? Promise.resolve() : new Promise((resolve) => (this.#waiters ??= []).push(resolve));
  }
}

/**
 * `go f()`: starts a task that nobody awaits. Node kills the process on an unhandled rejection, so
 * the task's end is checked here: a task ended by `stop` is fine; any other error is a bug and is
 * rethrown, as a panic in a goroutine ends a Go program.
 */
export function go(task: Promise<unknown>, stop: AbortSignal): void {
  task.catch(endOf(stop));
}

/** The check `go` attaches, one per signal: a large crawl starts a task per link, and a closure each added up. */
function endOf(stop: AbortSignal): (error: unknown) => void {
  let end = ends.get(stop);
  if (end === undefined) {
    end = (error: unknown) => {
      if (!stop.aborted) throw error;
    };
    ends.set(stop, end);
  }
  return end;
}

const ends = new WeakMap<AbortSignal, (error: unknown) => void>();

/**
 * The buffer of a channel that many tasks send to at once, such as ConcurrentMutex's results. Past
 * it, senders wait in line (FairChan): that holds back tasks that would only pile up results.
 */
export const burst = 1024;

/**
 * Channel operations one macrotask may run before each further one waits for the next macrotask.
 * ts-chan's default (safe) mode waits on every operation, which costs most of a crawl's time; with
 * no wait at all, a crawl over an in-memory fixture never lets a timer fire (--max-time). The budget
 * is shared by every channel, as Go's scheduler preempts every goroutine, so all senders and
 * receivers pause together. It lets timers in; it does not keep a producer in step with its consumer.
 */
const turnBudget = 1024;
let generation = getYieldGeneration();
let spent = 0;

/** Counts one channel operation: undefined while the budget lasts, else the next macrotask. */
function turn(): Promise<number> | undefined {
  const now = getYieldGeneration();
  if (now !== generation) {
    generation = now;
    spent = 0;
  }
  return ++spent > turnBudget ? yieldToMacrotaskQueue() : undefined;
}

/** A ts-chan channel in unsafe mode whose sends spend the shared budget (receives do, in `range`). */
abstract class BudgetedChan<T> extends Chan<T> {
  constructor(capacity: number) {
    super(capacity);
    this.setUnsafe(true);
  }

  override send(value: T, abort?: AbortSignal): Promise<void> {
    const wait = turn();
    return wait === undefined ? this.put(value, abort) : wait.then(() => this.put(value, abort));
  }

  /** The send itself, once the budget allows it. */
  protected abstract put(value: T, abort: AbortSignal | undefined): Promise<void>;
}

/** A sender past a full buffer: its value, and how to tell it the value was sent or never will be. */
type Waiting<T> = [value: T, sent: () => void, failed: (error: unknown) => void];

/**
 * A budgeted channel whose senders past a full buffer wait in a linked list. ts-chan keeps them in an array whose
 * shift() costs O(n) once tens of thousands wait, as they do when a large crawl's fetches end
 * together; a buffer big enough to spare them that (2^20) cost every crawl 8 MB and 5 ms to make.
 */
class FairChan<T> extends BudgetedChan<T> {
  readonly #line = new Queue<Waiting<T>>();
  #closed = false;

  protected put(value: T, abort: AbortSignal | undefined): Promise<void> {
    if (this.#closed) return Promise.reject(new SendOnClosedChannelError());
    // ts-chan's own send (not BudgetedChan's, which would spend the budget twice) for a send an
    // abort can end, and for a channel with no buffer to move into.
    if (abort !== undefined || this.capacity === 0) return Chan.prototype.send.call(this, value, abort);
    if (this.#line.size === 0 && this.trySend(value)) return sent;
    return new Promise((resolve, reject) => this.#line.enqueue([value, resolve, reject]));
  }

  override tryRecv(): IteratorResult<T, T | undefined> | undefined {
    const next = super.tryRecv();
    if (next !== undefined) this.#refill();
    return next;
  }

  override async recv(abort?: AbortSignal): Promise<IteratorResult<T, T | undefined>> {
    const next = await super.recv(abort); // waits only on an empty buffer, and then nobody is in line
    this.#refill();
    return next;
  }

  /** Moves the line into the buffer while it has room, first come first served. */
  #refill(): void {
    for (let w = this.#line.peek(); w !== undefined && this.trySend(w[0]); w = this.#line.peek()) {
      this.#line.dequeue();
      w[1]();
    }
  }

  /** As ts-chan's close: the senders in line that fit in the buffer have sent; the rest fail. */
  override close(): void {
    if (this.#closed) throw new CloseOfClosedChannelError();
    this.#closed = true;
    this.#refill();
    super.close();
    for (const [, , failed] of this.#line.drain()) failed(new SendOnClosedChannelError());
  }
}

/**
 * A channel whose sends never wait, which Go does not have: values past a waiting receiver queue in
 * a linked list, which grows as needed (a ts-chan buffer is allocated whole).
 */
class UnboundedChan<T> extends BudgetedChan<T> {
  readonly #queue = new Queue<T>();
  #closed = false;

  constructor() {
    super(0);
  }

  protected put(value: T): Promise<void> {
    if (this.#closed) return Promise.reject(new SendOnClosedChannelError());
    if (this.#queue.size > 0 || !this.trySend(value)) this.#queue.enqueue(value); // trySend: to a waiting receiver
    return sent;
  }

  /** As Go's close: what was sent is still received, then the channel reads as done. */
  override close(): void {
    super.close();
    this.#closed = true;
  }

  override tryRecv(): IteratorResult<T, T | undefined> | undefined {
    return this.#queue.size > 0 ? { value: this.#queue.dequeue()! } : super.tryRecv();
  }

  override recv(abort?: AbortSignal): Promise<IteratorResult<T, T | undefined>> {
    return this.#queue.size > 0 ? Promise.resolve({ value: this.#queue.dequeue()! }) : super.recv(abort);
  }
}

const sent = Promise.resolve();

/**
 * Go's `make(chan T, capacity)`: ts-chan's Chan, waiting for a macrotask only past `turnBudget`.
 * `Infinity` makes a channel whose sends never wait. Receive with `range`, `recv` or `tryRecv`:
 * ts-chan's Select does not see what waits in line.
 */
export function makeChan<T>(capacity = 0): Chan<T> {
  return capacity === Infinity ? new UnboundedChan<T>() : new FairChan<T>(capacity);
}

/**
 * `for v := range ch`: every value sent, until the channel is closed and drained. It takes no
 * signal, as Go's does not: a stopped crawl's producers end and close the channel, so what they
 * sent before the stop is still received and reported, not lost in the buffer.
 */
export async function* range<T>(ch: Chan<T>): AsyncGenerator<T> {
  for (;;) {
    const wait = turn();
    if (wait !== undefined) await wait;
    const next = ch.tryRecv() ?? (await ch.recv());
    if (next.done) return;
    yield next.value;
  }
}

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

/**
 * A signal that aborts when either of two does. Each receive and each waiting fetch listens on it,
 * so it takes any number of listeners (Node warns past 10).
 */
export function eitherSignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  const signal = a === undefined ? b : AbortSignal.any([a, b]);
  setMaxListeners(0, signal);
  return signal;
}

/**
 * Calls `cancel(signal.reason)` when `signal` aborts; returns the function that stops listening.
 * Many waiters on one signal share one real listener: Node's addEventListener compares each new
 * listener with all the others, so a listener per waiter costs O(n^2) when thousands wait at once
 * (60,000 held links once took 28 s to stop).
 */
export function onAbort(signal: AbortSignal, cancel: (reason: unknown) => void): () => void {
  let waiting = cancellers.get(signal);
  if (waiting === undefined) {
    const set = new Set<(reason: unknown) => void>();
    signal.addEventListener('abort', () => {
      for (const c of set) c(signal.reason);
      set.clear();
    }, { once: true });
    cancellers.set(signal, set);
    waiting = set;
  }
  const own = (reason: unknown) => cancel(reason); // a wrapper of its own, so one callback can wait twice
  waiting.add(own);
  return () => void waiting.delete(own);
}

const cancellers = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

/** `promise`, or a rejection with signal.reason as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const off = onAbort(signal, reject);
    promise.then(resolve, reject).finally(off);
  });
}

/** `time.Sleep` that `signal` cuts short, rejecting with its reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const off = onAbort(signal, (reason) => {
      clearTimeout(timer);
      reject(reason as Error);
    });
    const timer = setTimeout(() => {
      off();
      resolve();
    }, ms);
  });
}
