// The building blocks of chancrawl's DOT pictures (graph.ts, site-graph.ts): how a node of each kind
// is drawn (a URL's node), names and labels DOT reads as written, and hops from the start.
import { Node, type NodeAttributesObject } from 'ts-graphviz';

/** How a node is drawn: fetched and found, fetched and failed (missing), or discovered and not fetched. */
export type NodeKind = 'found' | 'missing' | 'skipped';

export const style = {
  found: { shape: 'box', style: 'filled,rounded', color: '#2171b5', fillcolor: '#deebf7', fontcolor: '#08306b' },
  missing: { shape: 'box', style: 'filled,dashed', color: '#d62728', fillcolor: '#fde0dd', fontcolor: '#a50f15' },
  skipped: { shape: 'box', style: 'dotted', color: '#888888', fillcolor: 'white', fontcolor: '#666666' },
} as const satisfies Record<NodeKind, NodeAttributesObject>;

/** A URL's node, drawn as its kind, labelled `label` (and the note), a start in bold; its tooltip is the whole URL. */
export function urlNode(url: string, { kind, note }: { kind: NodeKind; note?: string }, label: string, start: boolean): Node {
  const s = style[kind];
  return new Node(dotId(url), {
    ...s,
    label: note === undefined ? dotText(label) : `${dotText(label)}\n${note}`,
    tooltip: dotText(url),
    class: start ? `${kind} start` : kind,
    ...(start ? { style: `${s.style},bold`, penwidth: 2.5 } : {}),
  });
}

/**
 * A URL as a DOT node name: a backslash is percent-encoded, since DOT reads `\n`, `\N` and a closing
 * `\"` as escapes, and ts-graphviz 3.0 writes a trailing backslash unescaped, which breaks the file.
 */
export function dotId(url: string): string {
  return url.replaceAll('\\', '%5C');
}

/** A URL as DOT label text: a string that looks like `<...>` would be read as an HTML label, and a backslash keeps it text. */
export function dotText(url: string): string {
  const s = dotId(url);
  return /^<.*>$/s.test(s.trim()) ? `\\${s}` : s;
}

/** Fewest hops from the nearest start along the discovered links (breadth-first). */
export function distances(starts: ReadonlySet<string>, links: ReadonlyMap<string, readonly string[]>): Map<string, number> {
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
export function originOf(url: string): string | undefined {
  try {
    return `${new URL(url).origin}/`;
  } catch {
    return undefined;
  }
}
