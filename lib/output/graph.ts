// The link graph a crawl discovered, as Graphviz DOT text, and as SVG through Graphviz's `dot`.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Digraph, Edge, Node, Subgraph, toDot } from 'ts-graphviz';
import { toFile } from 'ts-graphviz/adapter';
import type { Result } from '../types.js';
import { distances, originOf, style, urlNode, type NodeKind } from './dot.js';
import { graphDefaults, type GraphOptions } from './graph-defaults.js';
import { siteGraph } from './site-graph.js';

export { dotId, type NodeKind } from './dot.js';
export { graphDefaults, type GraphOptions } from './graph-defaults.js';

/** Under the graph: a swatch per kind of node, and how to read the rows and the grey links. */
const legend = `<<table border="0" cellspacing="6" cellpadding="4"><tr>
<td border="1" color="${style.found.color}" bgcolor="${style.found.fillcolor}"><font color="${style.found.fontcolor}">found</font></td>
<td border="1" style="dashed" color="${style.missing.color}" bgcolor="${style.missing.fillcolor}"><font color="${style.missing.fontcolor}">missing (fetch failed)</font></td>
<td border="1" style="dotted" color="${style.skipped.color}"><font color="${style.skipped.fontcolor}">skipped (not fetched)</font></td>
<td border="3" color="${style.found.color}">start</td>
</tr><tr><td colspan="4">rows: fewest hops from the start · grey dashed: a link back or across</td></tr></table>>`;

type Nodes = Map<string, { kind: NodeKind; note?: string }>;

/** A node per URL the crawl reported (but out-of-scope ones unless `outside`), and each found page's distinct links among them. */
function nodesAndLinks(results: Iterable<Result>, starts: ReadonlySet<string>, outside: boolean): { nodes: Nodes; links: Map<string, string[]> } {
  const nodes: Nodes = new Map();
  const links = new Map<string, string[]>();
  const left = new Set<string>();
  for (const r of results) {
    if (r.kind === 'found') {
      nodes.set(r.url, { kind: 'found' });
      links.set(r.url, [...new Set([...r.page.urls, ...(r.page.dropped ?? []).map((d) => d.url)])]);
    } else if (r.kind === 'failed') {
      nodes.set(r.url, { kind: 'missing', note: r.status === undefined ? 'missing' : `missing (${r.status})` });
    } else if (outside || r.reason !== 'scope') {
      nodes.set(r.url, { kind: 'skipped', note: `skipped: ${r.reason}` });
    } else {
      left.add(r.url);
    }
  }
  for (const [from, targets] of links) {
    const kept = targets.filter((u) => !left.has(u));
    links.set(from, kept);
    for (const u of kept) if (!nodes.has(u)) nodes.set(u, { kind: 'skipped', note: 'not reported' });
  }
  for (const s of starts) if (!nodes.has(s)) nodes.set(s, { kind: 'skipped', note: 'not reported' });
  return { nodes, links };
}

/**
 * The crawl's link graph: a node per URL the crawl reported, an edge per distinct link on each found
 * page (and per link a seam dropped). Nodes sit on ranks by their fewest hops from `start` (from
 * the nearest, for a crawl from several start URLs).
 */
export function linkGraph(results: Iterable<Result>, start: string | readonly string[], options: Pick<GraphOptions, 'outside'> = {}): Digraph {
  const starts = startsOf(start);
  return drawAll(nodesAndLinks(results, starts, options.outside ?? graphDefaults.outside), starts);
}

function drawAll({ nodes: kinds, links }: { nodes: Nodes; links: Map<string, string[]> }, starts: ReadonlySet<string>): Digraph {
  const hops = distances(starts, links);
  const origin = originOf([...starts][0] ?? '');
  const g = new Digraph('crawl', {
    rankdir: 'TB',
    fontname: 'DejaVu Sans',
    fontsize: 11,
    labelloc: 'b',
    label: legend,
    nodesep: 0.25,
    ranksep: 0.45,
  });
  g.attributes.node.apply({ fontname: 'DejaVu Sans', fontsize: 10 });
  g.attributes.edge.apply({ color: '#777777', arrowsize: 0.6 });

  const ranks = new Map<number, Subgraph>();
  const nodes = new Map<string, Node>();
  for (const [url, kind] of kinds) {
    const rank = hops.get(url) ?? Infinity;
    const short = origin !== undefined && url.startsWith(origin) && url.length > origin.length ? url.slice(origin.length) : url;
    const node = urlNode(url, kind, short, starts.has(url));
    nodes.set(url, node);
    if (rank === Infinity) {
      g.addNode(node);
      continue;
    }
    let sub = ranks.get(rank);
    if (sub === undefined) {
      sub = new Subgraph(`hops${rank}`, { rank: rank === 0 ? 'source' : 'same' });
      ranks.set(rank, sub);
    }
    sub.addNode(node);
  }
  for (const rank of [...ranks.keys()].sort((a, b) => a - b)) g.addSubgraph(ranks.get(rank)!);
  for (const [from, targets] of links) {
    for (const to of targets) {
      // A link back up (or across) a rank must not pull the ranks out of hop order.
      const forward = (hops.get(to) ?? Infinity) > (hops.get(from) ?? Infinity);
      g.addEdge(new Edge([nodes.get(from)!, nodes.get(to)!], forward ? {} : { constraint: false, style: 'dashed', color: '#bbbbbb' }));
    }
  }
  return g;
}

/** The link graph as DOT text: every URL and link, or past `maxNodes` the site's graph (see GraphOptions). */
export function graphDot(results: Iterable<Result>, start: string | readonly string[], options: GraphOptions = {}): string {
  const { outside = graphDefaults.outside, maxNodes = graphDefaults.maxNodes } = options;
  const starts = startsOf(start);
  const graph = nodesAndLinks(results, starts, outside);
  let edges = 0;
  for (const targets of graph.links.values()) edges += targets.length;
  if (graph.nodes.size <= maxNodes && edges <= 4 * maxNodes) return toDot(drawAll(graph, starts));
  return toDot(siteGraph(graph.nodes, graph.links, starts, { maxNodes }));
}

function startsOf(start: string | readonly string[]): ReadonlySet<string> {
  return new Set(typeof start === 'string' ? [start] : start);
}

/** True when Graphviz's `dot` command runs (`apt-get install graphviz` brings it). */
export function hasDot(): boolean {
  return spawnSync('dot', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Writes DOT text to `path`: as it is for a .dot file, laid out by `dot -Tsvg` for a .svg file. */
export async function writeGraph(dot: string, path: string): Promise<void> {
  if (/\.svg$/i.test(path)) await toFile(dot, path, { format: 'svg' });
  else await writeFile(path, dot);
}
