// Go's channels on ts-chan: `make(chan T, n)` and `for v := range ch`, with the turn budget that
// lets timers in, senders waiting for a receiver or for room in a linked list (the queued kind), and
// the unbounded kind whose sends never wait.
import { Chan as TsChan, CloseOfClosedChannelError, SendOnClosedChannelError, getYieldGeneration, yieldToMacrotaskQueue } from 'ts-chan';
import Queue from 'yocto-queue';
import { onAbort } from './abort.js';

/**
 * A channel as makeChan gives it: Go's send, receive and close, with the non-blocking forms. Our
 * own type, not ts-chan's class, so that our declarations never load ts-chan's: its .d.ts files
 * import without file extensions, which a consumer under moduleResolution NodeNext cannot read.
 */
export interface Chan<T> {
  /** The buffer's size: 0 for Go's unbuffered channel, Infinity for one whose sends never wait. */
  readonly capacity: number;
  /** `ch <- value`: resolves once sent; rejects once the channel is closed, or with `abort`'s reason. */
  send(value: T, abort?: AbortSignal): Promise<void>;
  /** `select { case ch <- value: default: }`: true when sent without waiting. */
  trySend(value: T): boolean;
  /** `v, ok := <-ch`: `done` once the channel is closed and drained. */
  recv(abort?: AbortSignal): Promise<IteratorResult<T, T | undefined>>;
  /** `select { case v, ok := <-ch: default: }`: undefined when a receive would wait. */
  tryRecv(): IteratorResult<T, T | undefined> | undefined;
  /** `close(ch)`: what was sent is still received; a second close throws. */
  close(): void;
}

/**
 * The buffer of funnel()'s channel, which many tasks send to at once, such as ConcurrentMutex's
 * results. Past it, senders wait in line (FairChan): that holds back tasks that would only pile up results.
 */
export const funnelBuffer = 1024;

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
abstract class BudgetedChan<T> extends TsChan<T> implements Chan<T> {
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

/** A sender waiting for room: its value, how to tell it the value was sent or never will be, and whether it gave up. */
interface Waiting<T> {
  value: T;
  sent: () => void;
  failed: (error: unknown) => void;
  /** Stops listening to the send's abort signal. */
  off: (() => void) | undefined;
  /** Its signal aborted: it failed already and is skipped when its turn comes. */
  gone: boolean;
}

/**
 * A budgeted channel whose senders wait in a linked list until a receiver takes their value (no
 * buffer, as Go's unbuffered channel) or it moves into the buffer. ts-chan keeps them in an array
 * whose shift() costs O(n), and gives each an abort listener of its own (O(n) each to add), once
 * tens of thousands wait, as they do when a large crawl's fetches end together; a buffer big enough
 * to spare them that (2^20) cost every crawl 8 MB and 5 ms to make.
 */
class FairChan<T> extends BudgetedChan<T> {
  readonly #line = new Queue<Waiting<T>>();
  #closed = false;

  protected put(value: T, abort: AbortSignal | undefined): Promise<void> {
    if (this.#closed) return Promise.reject(new SendOnClosedChannelError());
    if (abort?.aborted) return Promise.reject(abort.reason as Error);
    if (this.#first() === undefined && this.trySend(value)) return sent; // to a waiting receiver, or into the buffer
    return new Promise((resolve, reject) => {
      const w: Waiting<T> = { value, sent: resolve, failed: reject, off: undefined, gone: false };
      if (abort !== undefined) {
        w.off = onAbort(abort, (reason) => {
          w.gone = true;
          reject(reason as Error);
        });
      }
      this.#line.enqueue(w);
    });
  }

  override tryRecv(): IteratorResult<T, T | undefined> | undefined {
    const next = super.tryRecv(); // from the buffer; done once closed and drained
    if (next !== undefined) {
      this.#refill();
      return next;
    }
    return this.#first() === undefined ? undefined : { value: this.#hand() }; // no buffer: straight from the first sender
  }

  override async recv(abort?: AbortSignal): Promise<IteratorResult<T, T | undefined>> {
    const now = this.tryRecv();
    if (now !== undefined) return now;
    const next = await super.recv(abort); // nobody in line: the next send hands its value over (trySend)
    this.#refill();
    return next;
  }

  /** The first sender in line that is still waiting, those that gave up dropped. */
  #first(): Waiting<T> | undefined {
    let w = this.#line.peek();
    while (w?.gone === true) {
      this.#line.dequeue();
      w = this.#line.peek();
    }
    return w;
  }

  /** Takes the first sender's value: its send has completed. */
  #hand(): T {
    const w = this.#line.dequeue()!;
    w.off?.();
    w.sent();
    return w.value;
  }

  /** Moves the line into the buffer while it has room, first come first served. */
  #refill(): void {
    for (let w = this.#first(); w !== undefined && this.trySend(w.value); w = this.#first()) {
      this.#line.dequeue();
      w.off?.();
      w.sent();
    }
  }

  /** As ts-chan's close: the senders in line that fit in the buffer have sent; the rest fail. */
  override close(): void {
    if (this.#closed) throw new CloseOfClosedChannelError();
    this.#closed = true;
    this.#refill();
    super.close();
    for (const w of this.#line.drain()) {
      if (w.gone) continue;
      w.off?.();
      w.failed(new SendOnClosedChannelError());
    }
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

  override get capacity(): number {
    return Infinity;
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
 * Go's `make(chan T, capacity)`: a ts-chan Chan, waiting for a macrotask only past `turnBudget`.
 * `Infinity` makes a channel whose sends never wait. Receive with `range`, `recv` or `tryRecv`
 * (the type offers no ts-chan Select, which would not see the senders waiting in line).
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
