// The fixture fetcher: the Go fakeFetcher's map from URL to {body, urls}, read from a JSON file.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError, describeIssue, lineColumn } from './errors.js';
import { sleep } from './sync.js';
import type { Fetcher, Page } from './types.js';

const FixturePage = z.strictObject({
  body: z.string(),
  urls: z.array(z.string().min(1, 'a URL must not be empty')),
});

/** `{ "start": URL (optional), "pages": { URL: { "body": string, "urls": [URL, ...] } } }`. */
export const FixtureSchema = z
  .strictObject({
    start: z.string().min(1, 'start must not be empty').optional(),
    pages: z.record(z.string().min(1, 'a page URL must not be empty'), FixturePage),
  })
  .refine((f) => f.start !== undefined || Object.keys(f.pages).length > 0, { message: 'no start URL and no pages to take one from', path: ['start'] });

export type Fixture = z.infer<typeof FixtureSchema>;

/** The built-in default: the Go tour's golang.org graph, with http:// as in the lecture. */
export const defaultFixturePath = ['../fixtures/', '../../fixtures/'] // lib/*.ts under vitest, dist/lib/*.js when built
  .map((dir) => fileURLToPath(new URL(`${dir}golang-org.json`, import.meta.url)))
  .find((path) => existsSync(path))!;

/** The URL a crawl of this fixture starts from: its `start`, else its first page. */
export function startOf(fixture: Fixture): string {
  return fixture.start ?? Object.keys(fixture.pages)[0]!;
}

/** Reads and validates a fixture file; any problem is an InputError naming the file and the place in it. */
export function loadFixture(path: string): Fixture {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`${path}: cannot read fixture: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseFixture(text, path);
}

export function parseFixture(text: string, path = '<fixture>'): Fixture {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    throw new InputError(`${path}${at ? `:${lineColumn(text, Number(at[1]))}` : ''}: invalid JSON: ${message.split('\n')[0]}`);
  }
  const parsed = FixtureSchema.safeParse(json);
  if (!parsed.success) throw new InputError(`${path}: ${describeIssue(parsed.error.issues[0]!)}`);
  return parsed.data;
}

/** Simulated network time per fetch: fixed, or drawn per URL from [min, max] with a seed. */
export type Latency = number | { min: number; max: number; seed: number };

/** A Fetcher over a fixture. A URL with no page is missing: it rejects with `not found: URL`, as in Go. */
export class FixtureFetcher implements Fetcher {
  readonly #pages: Map<string, Fixture['pages'][string]>;
  readonly #latency: Latency;

  constructor(fixture: Fixture, latency: Latency = 0) {
    // A Map: looking a URL up in the parsed object's 10^5 keys first interns the string, ~10% of a crawl.
    this.#pages = new Map(Object.entries(fixture.pages));
    this.#latency = latency;
  }

  async fetch(url: string, signal?: AbortSignal): Promise<Page> {
    const ms = this.latencyOf(url);
    if (ms > 0) await sleep(ms, signal);
    const page = this.#pages.get(url);
    if (page === undefined) throw new Error(`not found: ${url}`);
    return { url, urls: page.urls, body: page.body };
  }

  /** The latency of one URL: the same URL and seed always get the same figure, whatever the order. */
  latencyOf(url: string): number {
    const l = this.#latency;
    if (typeof l === 'number') return l;
    return l.min + (l.max - l.min) * unitHash(`${l.seed}:${url}`);
  }
}

/** A string hashed (FNV-1a, 32 bits) to a number in [0, 1). */
function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}
