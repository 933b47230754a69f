// One request on undici with the stops every HTTP client of ours needs: the caller's signals, a
// timer for the whole exchange, and a body left unread destroyed (its connection closed, not
// reused). HttpFetcher's pages, robots.txt and RpcFetcher's calls all go through it.
import type { Dispatcher } from 'undici';
import { onAbort } from '../runtime/abort.js';

export interface Exchange {
  method: 'GET' | 'HEAD' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Each aborts the request with its reason (the crawl's stop, a fetcher's close()). */
  signals: readonly (AbortSignal | undefined)[];
  /** Milliseconds for the whole exchange, `read` included; past them the request aborts with `timeout()`. Default: no timer of its own. */
  timeoutMs?: number;
  timeout?: () => Error;
}

/**
 * Sends one request to `url` and resolves with what `read` makes of the answer. An abort rejects
 * with its own reason (a signal's, or the timeout's error), not undici's AbortError. One
 * AbortController per request, listening through onAbort: undici's own listener on a crawl's
 * signal would be one per request, and Node's addEventListener scans them all.
 */
export async function exchange<T>(dispatcher: Dispatcher, url: URL, o: Exchange, read: (response: Dispatcher.ResponseData) => Promise<T>): Promise<T> {
  for (const signal of o.signals) if (signal?.aborted) throw signal.reason;
  const controller = new AbortController();
  const abort = (reason: unknown) => controller.abort(reason);
  const offs = o.signals.map((signal) => signal && onAbort(signal, abort));
  const timer =
    o.timeoutMs === undefined
      ? undefined
      : setTimeout(() => abort(o.timeout?.() ?? new Error(`timeout: the request took longer than ${o.timeoutMs} ms`)), o.timeoutMs);
  let body: Dispatcher.ResponseData['body'] | undefined;
  try {
    const response = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: o.method,
      headers: o.headers,
      body: o.body,
      signal: controller.signal,
    });
    body = response.body;
    body.on('error', () => {}); // every error also rejects the read; this keeps a late one from crashing Node
    return await read(response);
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    for (const off of offs) off?.();
    if (body !== undefined && !body.readableEnded) body.destroy();
  }
}

/** One header's value (the first, when the answer repeats it). */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
