import { readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, variants, type Variant } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, parseFixture, startOf, type Fixture } from '../lib/fixture/fixture.js';
import { generate } from '../lib/fixture/gen.js';
import { HttpFetcher } from '../lib/fetchers/http.js';
import { serveFixture, type ServedFixture } from '../lib/fixture/serve.js';
import type { Result } from '../lib/types.js';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const fixtureFiles = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

let servers: ServedFixture[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(fixture: Fixture, pageKb = 0): Promise<ServedFixture> {
  const s = await serveFixture(fixture, { pageKb });
  servers.push(s);
  return s;
}

/**
 * One comparable line per result: outcome, URL, depth (Serial's only: in a concurrent design the
 * path that arrives first sets it, and that varies run to run), and for a found page its body (served as the title) and links.
 */
function line(r: Result, withDepth: boolean, back: (u: string) => string = (u) => u): string {
  const head = `${r.kind} ${back(r.url)}${withDepth ? ` ${r.depth}` : ''}`;
  if (r.kind === 'found') return `${head} ${JSON.stringify(r.page.title ?? r.page.body)} ${r.page.urls.map(back).join(' ')}`;
  if (r.kind === 'skipped') return `${head} ${r.reason}`;
  return head;
}

async function lines(results: AsyncIterable<Result>, withDepth: boolean, back?: (u: string) => string): Promise<string[]> {
  const out: string[] = [];
  for await (const r of results) out.push(line(r, withDepth, back));
  return out;
}

async function compare(fixture: Fixture, variant: Variant, maxDepth?: number, pageKb = 0): Promise<void> {
  const site = await serve(fixture, pageKb);
  const back = (u: string) => site.original(u) ?? `(not served: ${u})`;
  const serial = variant === 'serial';
  const direct = await lines(crawl(startOf(fixture), new FixtureFetcher(fixture), { variant, maxDepth }), serial);
  const overHttp = await lines(crawl(site.start, new HttpFetcher({ retries: 0 }), { variant, maxDepth, concurrency: 8 }), serial, back);
  if (serial) expect(overHttp).toEqual(direct);
  else expect(overHttp.sort()).toEqual(direct.sort());
  expect(direct.length).toBeGreaterThan(0);
}

describe.each(variants)('a served fixture, crawled over HTTP by the %s design', (variant) => {
  it.each(fixtureFiles)('reports what crawling %s directly reports', async (file) => {
    const fixture = loadFixture(fixturesDir + file);
    await compare(fixture, variant);
    await compare(fixture, variant, 1);
  });

  it('does so on a generated graph of 300 pages, with a depth limit too', async () => {
    const out = new PassThrough();
    const json = text(out);
    await generate({ pages: 300, degree: 4, seed: 7 }, out);
    out.end();
    const fixture = parseFixture(await json);
    await compare(fixture, variant);
    await compare(fixture, variant, 3);
  });

  it('does so with each page padded to 16 KB (serve --page-kb), whose padding has no links', async () => {
    const fixture = loadFixture(fixturesDir + 'golang-org.json');
    await compare(fixture, variant, undefined, 16);
    const site = await serve(fixture, 16);
    const size = (await (await fetch(site.start)).arrayBuffer()).byteLength;
    expect(size).toBeGreaterThanOrEqual(16 * 1024);
    expect(size).toBeLessThan(18 * 1024);
  });
});

describe('serveFixture', () => {
  it('maps odd fixture URLs to served ones and back, and answers 404 for a missing page', async () => {
    const odd = ['not a url', 'http://h/a/../b', 'ftp://x/y', 'http://h/q?a=1&b=%20', 'https://H/x', '..', 'http://h/é'];
    const fixture: Fixture = { start: 'http://h/', pages: { 'http://h/': { body: 'Start & <end>', urls: [...odd, 'http://h/'] } } };
    for (const u of odd.slice(0, -2)) fixture.pages[u] = { body: u, urls: [] };
    const site = await serve(fixture);
    const found = await new HttpFetcher().fetch(site.start);
    expect(found.title).toBe('Start & <end>');
    expect(found.urls.map((u) => site.original(u))).toEqual([...odd, 'http://h/']);
    for (const u of odd.slice(0, -2)) expect(await new HttpFetcher().fetch(site.served(u))).toMatchObject({ title: u, status: 200 });
    await expect(new HttpFetcher().fetch(site.served('..'))).rejects.toMatchObject({ status: 404 });
    await expect(new HttpFetcher().fetch(`${site.origin}/robots.txt`)).rejects.toMatchObject({ status: 404 });
  });
});
