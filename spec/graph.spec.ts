// The link graph: parsed back from DOT (and from dot's SVG), its nodes and edges are the fixture's
// reachable part; found, missing and skipped pages are told apart; rows are hops from the start.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { fromDot, type GraphBaseModel } from 'ts-graphviz';
import { describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, parseFixture, startOf, type Fixture } from '../lib/fixture/fixture.js';
import { generate } from '../lib/fixture/gen.js';
import { dotId, graphDot, hasDot, writeGraph } from '../lib/output/graph.js';
import { collect, reachable } from './support/fetchers.js';
import { cli } from './support/cli.js';
import { graphDefaults } from '../lib/output/graph-defaults.js';
import { Writable } from 'node:stream';

interface Parsed {
  /** node name -> its class attribute and the name of the subgraph (rank) it sits in. */
  nodes: Map<string, { cls: string; rank: string | undefined }>;
  edges: Set<string>;
}

/** Nodes and edges of DOT text, read back with ts-graphviz's parser, subgraphs included. */
function parseDot(dot: string): Parsed {
  const g = fromDot(dot);
  const nodes: Parsed['nodes'] = new Map();
  const edges = new Set<string>();
  const walk = (m: GraphBaseModel, rank: string | undefined) => {
    for (const n of m.nodes) nodes.set(n.id, { cls: String(n.attributes.get('class')), rank });
    for (const e of m.edges) {
      const [from, to] = e.targets.map((t) => ('id' in t ? t.id : ''));
      edges.add(`${from} -> ${to}`);
    }
    for (const s of m.subgraphs) walk(s, s.id);
  };
  walk(g, undefined);
  return { nodes, edges };
}

/** What the graph must be: every URL within depth + 1 hops, and the links of the pages fetched (within depth hops). */
function expected(fixture: Fixture, start: string, depth = Infinity) {
  const hops = reachable(fixture, start, depth + 1);
  const edges = new Set<string>();
  for (const [url, d] of hops) {
    const page = Object.hasOwn(fixture.pages, url) ? fixture.pages[url] : undefined;
    if (page === undefined || d > depth) continue;
    for (const u of page.urls) edges.add(`${url} -> ${u}`);
  }
  const kind = (url: string, d: number) => (d > depth ? 'skipped' : Object.hasOwn(fixture.pages, url) ? 'found' : 'missing');
  return { hops, edges, kind };
}

async function crawlGraph(fixture: Fixture, variant: (typeof variants)[number], depth?: number): Promise<string> {
  const results = await collect(crawl(startOf(fixture), new FixtureFetcher(fixture), { variant, maxDepth: depth }));
  return graphDot(results, startOf(fixture), { maxNodes: Infinity }); // every URL and link: the site's picture is tested below
}

const fixtures = readdirSync('fixtures')
  .filter((f) => f.endsWith('.json'))
  .map((f) => `fixtures/${f}`);
let generated = '';
await generate(
  { pages: 300, degree: 3, seed: 5, missing: 0.1 },
  new Writable({ write: (chunk: Buffer, _encoding, done) => ((generated += chunk.toString()), done()) }),
);
const graphs: [string, Fixture][] = [...fixtures.map((f): [string, Fixture] => [f, loadFixture(f)]), ['generated 300 pages', parseFixture(generated)]];
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-graph-'));

describe.each(graphs)('%s', (_name, fixture) => {
  const start = startOf(fixture);
  it.each(variants.flatMap((v) => [undefined, 0, 1, 2].map((d) => [v, d] as const)))(
    '%s, depth %s: nodes and edges are the reachable part, styled by kind, ranked by hops',
    async (variant, depth) => {
      const want = expected(fixture, start, depth);
      const got = parseDot(await crawlGraph(fixture, variant, depth));

      expect([...got.nodes.keys()].sort()).toEqual([...want.hops.keys()].sort());
      expect([...got.edges].sort()).toEqual([...want.edges].sort());
      for (const [url, { cls, rank }] of got.nodes) {
        const d = want.hops.get(url)!;
        expect(cls.split(' ')[0]).toBe(want.kind(url, d));
        expect(cls.includes('start')).toBe(url === start);
        expect(rank).toBe(`hops${d}`);
      }
    },
  );
});

describe('dot', () => {
  it('is installed (CI installs graphviz): the SVG tests below need it', () => {
    expect(hasDot()).toBe(true);
  });

  it.each(variants)('%s: the SVG that dot lays out has the same nodes and edges as the DOT', async (variant) => {
    const fixture = graphs.at(-1)![1];
    const dot = await crawlGraph(fixture, variant, 2);
    const path = join(tmp, `${variant}.svg`);
    await writeGraph(dot, path);
    const { document } = parseHTML(`<!doctype html><html><body>${readFileSync(path, 'utf8').replace(/^[\s\S]*?(?=<svg)/, '')}</body></html>`);
    const titles = (selector: string) => Array.from(document.querySelectorAll(`${selector} > title`)).map((t) => t.textContent ?? '');
    const parsed = parseDot(dot);
    expect(titles('g.node').sort()).toEqual([...parsed.nodes.keys()].sort());
    expect(
      titles('g.edge')
        .map((t) => t.replace('->', ' -> '))
        .sort(),
    ).toEqual([...parsed.edges].sort());
    expect(document.querySelectorAll('g.node.missing').length).toBe([...parsed.nodes.values()].filter((n) => n.cls.startsWith('missing')).length);
  });

  it('writes a .dot file as it is', async () => {
    const path = join(tmp, 'g.dot');
    const dot = await crawlGraph(graphs[0]![1], 'serial');
    await writeGraph(dot, path);
    expect(readFileSync(path, 'utf8')).toBe(dot);
  });

  it('keeps awkward URLs (quotes, a trailing backslash, markup) as valid DOT that dot lays out', async () => {
    const urls = ['http://a/"q"', 'http://a/end\\', '<x>', 'http://a/\\n'];
    const fixture = parseFixture(JSON.stringify({ start: 'http://a/', pages: { 'http://a/': { body: '', urls } } }));
    const dot = await crawlGraph(fixture, 'channel');
    expect([...parseDot(dot).nodes.keys()].sort()).toEqual(['http://a/', ...urls].map(dotId).sort());
    const path = join(tmp, 'awkward.svg');
    writeFileSync(path, '');
    await writeGraph(dot, path);
    expect(readFileSync(path, 'utf8')).toContain('</svg>');
  });
});

it('several start URLs: each is a start on the first row, and a page sits at its fewest hops from any of them', async () => {
  const fixture = loadFixture('fixtures/golang-org.json');
  const starts = ['http://golang.org/pkg/os/', 'http://golang.org/cmd/'];
  const results = await collect(crawl(starts, new FixtureFetcher(fixture)));
  const got = parseDot(graphDot(results, starts));
  expect(got.nodes.get(dotId('http://golang.org/pkg/os/'))).toEqual({ cls: 'found start', rank: 'hops0' });
  expect(got.nodes.get(dotId('http://golang.org/cmd/'))).toEqual({ cls: 'missing start', rank: 'hops0' });
  expect(got.nodes.get(dotId('http://golang.org/pkg/'))).toMatchObject({ rank: 'hops1' });
  expect(got.nodes.get(dotId('http://golang.org/pkg/fmt/'))).toMatchObject({ rank: 'hops2' });
});

/**
 * A site with folders: the start links to /a/, /b/, /c/ and /d/, each folder's index to its 60
 * pages, each page to the next two of its folder and back home; one page is missing, one link leaves the site.
 */
function foldered(): Fixture {
  const pages: Record<string, { body: string; urls: string[] }> = {};
  const folders = ['a', 'b', 'c', 'd'];
  pages['http://s.test/'] = { body: 'home', urls: [...folders.map((f) => `http://s.test/${f}/`), 'http://elsewhere.test/x'] };
  for (const f of folders) {
    const names = Array.from({ length: 60 }, (_, i) => `http://s.test/${f}/p${i}.html`);
    pages[`http://s.test/${f}/`] = { body: f, urls: names.slice(0, 6) };
    names.forEach((u, i) => (pages[u] = { body: u, urls: [names[(i + 1) % 60]!, names[(i + 2) % 60]!, 'http://s.test/'] }));
  }
  delete pages['http://s.test/b/p7.html'];
  return parseFixture(JSON.stringify({ start: 'http://s.test/', pages }));
}

describe("a site's graph: past maxNodes, a box per folder, the nearest pages drawn, the rest counted", () => {
  const fixture = foldered();
  const start = startOf(fixture);
  const folderOf = (url: string) => /^http:\/\/s\.test(\/[^/]+\/)?/.exec(url)?.[1] ?? '/';

  it.each(variants)(
    '%s: every URL is drawn or counted in its folder, each drawn page has one arrow, from the page that first linked to it',
    async (variant) => {
      const results = await collect(crawl(start, new FixtureFetcher(fixture), { variant, scope: { scope: 'origin' } }));
      const g = fromDot(graphDot(results, start));
      const inScope = results.filter((r) => !(r.kind === 'skipped' && r.reason === 'scope')).map((r) => r.url);
      expect(inScope.length).toBeGreaterThan(graphDefaults.maxNodes);
      const boxes = g.subgraphs.filter((sub) => sub.id?.startsWith('cluster_'));
      expect(boxes.map((b) => String(b.get('label')).split(' · ')[0]).sort()).toEqual(['/', '/a/', '/b/', '/c/', '/d/']);
      const share = Math.ceil(graphDefaults.maxNodes / boxes.length);
      const drawn = new Set<string>();
      for (const box of boxes) {
        const folder = String(box.get('label')).split(' · ')[0]!;
        const pages = box.nodes.filter((n) => n.attributes.get('class') !== 'more').map((n) => n.id);
        const counted = box.nodes
          .filter((n) => n.attributes.get('class') === 'more')
          .map((n) => Number(/(\d+) more/.exec(String(n.attributes.get('label')))![1]));
        const urls = inScope.filter((u) => folderOf(u) === folder);
        expect(
          pages.every((u) => folderOf(u) === folder),
          folder,
        ).toBe(true);
        expect(pages.length, folder).toBeLessThanOrEqual(share);
        expect(pages.length + (counted[0] ?? 0), `${folder}: drawn + counted = its URLs`).toBe(urls.length);
        expect(box.get('label')).toBe(`${folder} · ${urls.length} URL${urls.length === 1 ? '' : 's'}`);
        for (const u of pages) drawn.add(u);
      }
      expect(drawn.size).toBeLessThanOrEqual(graphDefaults.maxNodes);
      expect(drawn.has('http://elsewhere.test/x'), 'out of scope: not drawn by default').toBe(false);
      const hops = reachable(fixture, start);
      const arrows = g.edges.map((e) => e.targets.map((t) => ('id' in t ? t.id : '')) as [string, string]);
      expect(arrows.map(([, to]) => to).sort()).toEqual([...drawn].filter((u) => u !== start).sort());
      for (const [from, to] of arrows) {
        expect(drawn.has(from), from).toBe(true);
        expect(fixture.pages[from]!.urls, `${from} links to ${to}`).toContain(to);
        expect(hops.get(from)! + 1, `${from} is one hop nearer than ${to}`).toBe(hops.get(to));
      }
      expect(g.nodes.length + boxes.flatMap((b) => b.nodes).length).toBeLessThan(inScope.length);
    },
  );

  it('outside: true draws the links the scope left out; maxNodes: Infinity draws every URL and link', async () => {
    const results = await collect(crawl(start, new FixtureFetcher(fixture), { scope: { scope: 'origin' } }));
    const all = parseDot(graphDot(results, start, { outside: true, maxNodes: Infinity }));
    expect(all.nodes.has('http://elsewhere.test/x')).toBe(true);
    expect(all.nodes.size).toBe(results.length);
    const site = fromDot(graphDot(results, start, { outside: true }));
    expect(site.subgraphs.some((b) => String(b.get('label')).startsWith('http://elsewhere.test/ · 1 URL'))).toBe(true);
  });

  it('the CLI draws it with --graph, sized by --graph-max-nodes', async () => {
    const file = join(tmp, 'foldered.json');
    writeFileSync(file, JSON.stringify(fixture));
    const path = join(tmp, 'site.dot');
    const run = await cli('--fixture', file, '--graph', path, '--graph-max-nodes', '20');
    expect(run.status).toBe(0);
    const g = fromDot(readFileSync(path, 'utf8'));
    const pages = g.subgraphs.flatMap((b) => b.nodes).filter((n) => n.attributes.get('class') !== 'more');
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.length).toBeLessThanOrEqual(20);
  });
});
