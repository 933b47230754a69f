// AbortSignal helpers: two signals as one, a shared listener per signal, abortable waits.
import { setMaxListeners } from 'node:events';

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
    signal.addEventListener(
      'abort',
      () => {
        for (const c of set) c(signal.reason);
        set.clear();
      },
      { once: true },
    );
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

/** Waits until the first of `promises` settles, or `ms` has passed, and leaves no timer behind. */
export async function firstOrAfter(ms: number, promises: Iterable<Promise<unknown>>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const after = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([...promises, after]);
  } finally {
    clearTimeout(timer);
  }
}
