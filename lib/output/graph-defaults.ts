// The link graph's options and their defaults, apart from graph.ts so that reading them (the CLI's
// --help) does not load ts-graphviz.

export interface GraphOptions {
  /** Draw the URLs a scope left out (reported skipped 'scope'). Default: false. */
  outside?: boolean;
  /**
   * Past this many URLs (or four times as many links), draw the site's graph instead (siteGraph:
   * this many pages, the fewest hops from the start, clustered by folder, one edge each); up to it,
   * every URL and link. Default: 150.
   */
  maxNodes?: number;
}

export const graphDefaults = { outside: false, maxNodes: 150 } as const satisfies Required<GraphOptions>;
