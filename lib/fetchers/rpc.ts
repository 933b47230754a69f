// Fetch as a remote procedure call: a small JSON-over-HTTP service that answers Go's
// Fetch(url) (urls, err) from any Fetcher, and a Fetcher whose fetch is a call to that service.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { z } from 'zod';
import { exchange } from './request.js';
import { errorMessage } from '../runtime/error.js';
import type { Fetcher, Page } from '../types.js';

/** The call: `POST /fetch {"url": URL}`. (`GET /calls` answers `{"calls": N}`, the calls answered so far.) */
const Call = z.strictObject({ url: z.string().min(1) });

/** The reply: 200 `{"urls": [...], "body": ...}` (Go's urls), or 404 `{"error": "not found: URL"}` (Go's err). */
const Reply = z.union([z.strictObject({ urls: z.array(z.string()), body: z.string().optional() }), z.strictObject({ error: z.string() })]);

export interface FetchService {
  /** `http://127.0.0.1:PORT`: where RpcFetcher sends its calls. */
  readonly endpoint: string;
  /** Fetch calls answered so far. */
  readonly calls: number;
  close(): Promise<void>;
}

/** Serves `fetcher` as a fetch service on 127.0.0.1 (port 0: a free one). */
export async function serveFetcher(fetcher: Fetcher, port = 0): Promise<FetchService> {
  let calls = 0;
  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => reply(res, 500, { error: errorMessage(error) }));
  });
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/calls') return reply(res, 200, { calls });
    if (req.method !== 'POST' || req.url !== '/fetch') return reply(res, 404, { error: `no such call: ${req.method} ${req.url}` });
    let text = '';
    for await (const chunk of req) text += String(chunk);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return reply(res, 400, { error: 'the call is not JSON' });
    }
    const call = Call.safeParse(json);
    if (!call.success) return reply(res, 400, { error: 'the call must be {"url": URL}' });
    calls++;
    try {
      const page = await fetcher.fetch(call.data.url);
      reply(res, 200, { urls: page.urls, body: page.body });
    } catch (error) {
      reply(res, 404, { error: errorMessage(error) });
    }
  }
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    get calls() {
      return calls;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function reply(res: ServerResponse, status: number, body: z.infer<typeof Reply> | { calls: number }): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A Fetcher whose fetch is a call to a fetch service: its error comes back as the rejection. */
export class RpcFetcher implements Fetcher {
  /** Its own kept-alive connections to the service, so that close() can end them. */
  readonly #dispatcher = new Agent();
  readonly #fetchUrl: URL;

  constructor(readonly endpoint: string) {
    this.#fetchUrl = new URL('/fetch', endpoint);
  }

  async fetch(url: string, signal?: AbortSignal): Promise<Page> {
    // A call either answers or fails, once: no retry; 10 s for the whole call.
    const call = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
      signals: [signal],
      timeoutMs: 10_000,
      timeout: () => new Error(`fetch service ${this.endpoint}: no answer within 10 s`),
    } as const;
    const { status, text } = await exchange(this.#dispatcher, this.#fetchUrl, call, async (response) => ({
      status: response.statusCode,
      text: await response.body.text(),
    }));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`fetch service ${this.endpoint}: HTTP ${status}, not JSON`);
    }
    const reply = Reply.safeParse(json);
    if (!reply.success) throw new Error(`fetch service ${this.endpoint}: HTTP ${status}, not a fetch reply`);
    if ('error' in reply.data) throw new Error(reply.data.error);
    return { url, urls: reply.data.urls, ...(reply.data.body === undefined ? {} : { body: reply.data.body }) };
  }

  /** Closes the kept-alive connections, so that the process can end; resolves once they are closed. */
  close(): Promise<void> {
    return this.#dispatcher.destroy();
  }
}
