// The link graph of a real site, drawn so it can be read: at most maxNodes pages, the nearest to the
// start, in one box per folder with the rest of the folder counted; one edge per page, from the page
// whose link first reached it (a site's every link would be thousands of edges, and hours of dot).
import { Digraph, Edge, Node, Subgraph } from 'ts-graphviz';
import { graphDefaults, type GraphOptions } from './graph-defaults.js';
import { distances, dotText, originOf, urlNode, type NodeKind } from './dot.js';

const more = { shape: 'note', style: 'dotted', color: '#888888', fontcolor: '#666666' } as const;

/** The folder a URL is drawn in: its path up to the last `/` (the top folder below the root), or its origin when off the site. */
function folderOf(url: string, origin: string | undefined): string {
  if (origin === undefined || !url.startsWith(origin)) return originOf(url) ?? url;
  const path = url.slice(origin.length - 1).replace(/[?#].*$/, '');
  const top = /^\/[^/]+\//.exec(path)?.[0];
  return top ?? '/';
}

/**
 * A site's graph: the reported URLs (given already filtered) as nodes, clustered by folder, each
 * folder drawing its share of `maxNodes`, fewest hops from a start first; an edge from each drawn
 * page's first linker.
 */
export function siteGraph(
  nodes: ReadonlyMap<string, { kind: NodeKind; note?: string }>,
  links: ReadonlyMap<string, readonly string[]>,
  starts: ReadonlySet<string>,
  options: Pick<GraphOptions, 'maxNodes'> = {},
): Digraph {
  const { maxNodes = graphDefaults.maxNodes } = options;
  const first = [...starts][0] ?? '';
  const origin = originOf(first);
  const hops = distances(starts, links);
  // The order they are drawn in: by hops (the breadth-first order), then the unreachable, as reported.
  const order = [...hops.keys(), ...[...nodes.keys()].filter((u) => !hops.has(u))].filter((u) => nodes.has(u));
  const firstLinker = new Map<string, string>();
  let linkCount = 0;
  for (const from of hops.keys()) {
    for (const to of links.get(from) ?? []) {
      if (!nodes.has(to)) continue;
      linkCount += 1;
      if (!firstLinker.has(to) && !starts.has(to) && hops.get(to) === hops.get(from)! + 1) firstLinker.set(to, from);
    }
  }
  // Each folder draws its share of maxNodes, its pages nearest the start first, so that one big
  // folder (the docs' /library/) does not fill the picture alone.
  const folderOfUrl = new Map(order.map((u) => [u, folderOf(u, origin)]));
  const share = Math.max(1, Math.ceil(maxNodes / new Set(folderOfUrl.values()).size));
  const folders = new Map<string, { drawn: string[]; hidden: number }>();
  const drawn = new Set<string>();
  for (const url of order) {
    const folder = folderOfUrl.get(url)!;
    const entry = folders.get(folder) ?? { drawn: [], hidden: 0 };
    // A page is drawn only with its first linker, so that its arrow has somewhere to start.
    const linker = firstLinker.get(url);
    if (entry.drawn.length < share && drawn.size < maxNodes && (linker === undefined || drawn.has(linker))) {
      entry.drawn.push(url);
      drawn.add(url);
    } else entry.hidden += 1;
    folders.set(folder, entry);
  }
  const edges = [...drawn].filter((u) => firstLinker.has(u));

  const g = new Digraph('site', {
    rankdir: 'LR',
    fontname: 'DejaVu Sans',
    fontsize: 11,
    labelloc: 't',
    labeljust: 'l',
    label: dotText(
      `${starts.size === 1 ? first : `${first} and ${starts.size - 1} more starts`}: ${nodes.size} URLs in ${folders.size} folders, ${drawn.size} drawn: in each folder, those the fewest hops from the start. An arrow: the link that first reached a page (${edges.length} of the ${linkCount} links between these URLs).`,
    ),
    nodesep: 0.08,
    ranksep: 0.6,
    newrank: true,
  });
  g.attributes.node.apply({ fontname: 'DejaVu Sans', fontsize: 10, height: 0.25, margin: '0.08,0.02' });
  g.attributes.edge.apply({ color: '#999999', arrowsize: 0.5 });
  const node = new Map<string, Node>();
  let i = 0;
  for (const [folder, { drawn: urls, hidden }] of folders) {
    const total = urls.length + hidden;
    const box = new Subgraph(`cluster_${i++}`, {
      label: dotText(`${folder} · ${total} URL${total === 1 ? '' : 's'}`),
      style: 'rounded',
      color: '#bbbbbb',
      fontcolor: '#444444',
    });
    for (const url of urls) {
      const name = url.startsWith(origin ?? '\0') ? url.slice(origin!.length - 1) : url;
      const label = folder !== '/' && name.startsWith(folder) ? name.slice(folder.length) || folder : name;
      const n = urlNode(url, nodes.get(url)!, label, starts.has(url));
      node.set(url, n);
      box.addNode(n);
    }
    if (hidden > 0) box.addNode(new Node(`more ${folder}`, { ...more, class: 'more', label: `${urls.length === 0 ? '' : '+ '}${hidden} more not drawn` }));
    g.addSubgraph(box);
  }
  for (const to of edges) g.addEdge(new Edge([node.get(firstLinker.get(to)!)!, node.get(to)!]));
  return g;
}
