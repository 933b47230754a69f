// The link graph a crawl discovered, as Graphviz DOT text, and as SVG through Graphviz's `dot`.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Digraph, Edge, Node, Subgraph, toDot, type NodeAttributesObject } from 'ts-graphviz';
import { toFile } from 'ts-graphviz/adapter';
import type { Result } from '../types.js';

/** How a node is drawn: fetched and found, fetched and failed (missing), or discovered and not fetched. */
export type NodeKind = 'found' | 'missing' | 'skipped';

const style = {
  found: { shape: 'box', style: 'filled,rounded', color: '#2171b5', fillcolor: '#deebf7', fontcolor: '#08306b' },
  missing: { shape: 'box', style: 'filled,dashed', color: '#d62728', fillcolor: '#fde0dd', fontcolor: '#a50f15' },
  skipped: { shape: 'box', style: 'dotted', color: '#888888', fillcolor: 'white', fontcolor: '#666666' },
} as const satisfies Record<NodeKind, NodeAttributesObject>;

/** Under the graph: a swatch per kind of node, and how to read the rows and the grey links. */
const legend = `<<table border="0" cellspacing="6" cellpadding="4"><tr>
<td border="1" color="${style.found.color}" bgcolor="${style.found.fillcolor}"><font color="${style.found.fontcolor}">found</font></td>
<td border="1" style="dashed" color="${style.missing.color}" bgcolor="${style.missing.fillcolor}"><font color="${style.missing.fontcolor}">missing (fetch failed)</font></td>
<td border="1" style="dotted" color="${style.skipped.color}"><font color="${style.skipped.fontcolor}">skipped (not fetched)</font></td>
<td border="3" color="${style.found.color}">start</td>
</tr><tr><td colspan="4">rows: fewest hops from the start · grey dashed: a link back or across</td></tr></table>>`;

/**
 * The crawl's link graph: a node per URL the crawl reported, an edge per distinct link on each found
 * page (and per link a seam dropped). Nodes sit on ranks by their fewest hops from `start` (from
 * the nearest, for a crawl from several start URLs).
 */
export function linkGraph(results: Iterable<Result>, start: string | readonly string[]): Digraph {
  const starts = new Set(typeof start === 'string' ? [start] : start);
  const kinds = new Map<string, { kind: NodeKind; note?: string }>();
  const links = new Map<string, string[]>();
  for (const r of results) {
    if (r.kind === 'found') {
      kinds.set(r.url, { kind: 'found' });
      links.set(r.url, [...new Set([...r.page.urls, ...(r.page.dropped ?? []).map((d) => d.url)])]);
    } else if (r.kind === 'failed') {
      kinds.set(r.url, { kind: 'missing', note: r.status === undefined ? 'missing' : `missing (${r.status})` });
    } else {
      kinds.set(r.url, { kind: 'skipped', note: `skipped: ${r.reason}` });
    }
  }
  for (const targets of links.values()) for (const u of targets) if (!kinds.has(u)) kinds.set(u, { kind: 'skipped', note: 'not reported' });
  for (const s of starts) if (!kinds.has(s)) kinds.set(s, { kind: 'skipped', note: 'not reported' });

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
  for (const [url, { kind, note }] of kinds) {
    const rank = hops.get(url) ?? Infinity;
    const s = style[kind];
    const short = origin !== undefined && url.startsWith(origin) && url.length > origin.length ? url.slice(origin.length) : url;
    const node = new Node(dotId(url), {
      ...s,
      label: note === undefined ? dotText(short) : `${dotText(short)}\n${note}`,
      tooltip: dotText(url),
      class: starts.has(url) ? `${kind} start` : kind,
      ...(starts.has(url) ? { style: `${s.style},bold`, penwidth: 2.5 } : {}),
    });
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

/** The link graph as DOT text. */
export function graphDot(results: Iterable<Result>, start: string | readonly string[]): string {
  return toDot(linkGraph(results, start));
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

/**
 * A URL as a DOT node name: a backslash is percent-encoded, since DOT reads `\n`, `\N` and a closing
 * `\"` as escapes, and ts-graphviz 3.0 writes a trailing backslash unescaped, which breaks the file.
 */
export function dotId(url: string): string {
  return url.replaceAll('\\', '%5C');
}

/** A URL as DOT label text: a string that looks like `<...>` would be read as an HTML label, and a backslash keeps it text. */
function dotText(url: string): string {
  const s = dotId(url);
  return /^<.*>$/s.test(s.trim()) ? `\\${s}` : s;
}

/** Fewest hops from `start` along the discovered links (breadth-first). */
function distances(starts: ReadonlySet<string>, links: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const hops = new Map([...starts].map((s) => [s, 0]));
  const queue = [...starts];
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]!;
    for (const to of links.get(from) ?? []) {
      if (hops.has(to)) continue;
      hops.set(to, hops.get(from)! + 1);
      queue.push(to);
    }
  }
  return hops;
}

/** `scheme://host/` of a URL, so that labels can drop it; undefined for a string that is no URL. */
function originOf(url: string): string | undefined {
  try {
    return `${new URL(url).origin}/`;
  } catch {
    return undefined;
  }
}
