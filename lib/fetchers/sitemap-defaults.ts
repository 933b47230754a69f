// The limits on reading sitemaps, apart from sitemap.ts so that the CLI's --help shows them without loading htmlparser2.

/** The protocol's limits on one file, 50,000 URLs and 50 MB uncompressed; and how many sitemap indexes deep a sitemap is still read. */
export const sitemapDefaults = { maxUrls: 50_000, maxBytes: 50 * 1000 * 1000, maxNesting: 2 } as const;
