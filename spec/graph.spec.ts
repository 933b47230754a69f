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
  return graphDot(results, startOf(fixture));
}

const fixtures = readdirSync('fixtures').filter((f) => f.endsWith('.json')).map((f) => `fixtures/${f}`);
let generated = '';
await generate({ pages: 300, degree: 3, seed: 5, missing: 0.1 }, new Writable({ write: (chunk: Buffer, _encoding, done) => ((generated += chunk.toString()), done()) }));
const graphs: [string, Fixture][] = [...fixtures.map((f): [string, Fixture] => [f, loadFixture(f)]), ['generated 300 pages', parseFixture(generated)]];
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-graph-'));

describe.each(graphs)('%s', (_name, fixture) => {
  const start = startOf(fixture);
  it.each(variants.flatMap((v) => [undefined, 0, 1, 2].map((d) => [v, d] as const)))('%s, depth %s: nodes and edges are the reachable part, styled by kind, ranked by hops', async (variant, depth) => {
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
  });
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
    expect(titles('g.edge').map((t) => t.replace('->', ' -> ')).sort()).toEqual([...parsed.edges].sort());
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
