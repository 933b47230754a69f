// Go's package sync: Mutex and WaitGroup, as small as they can be.
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
