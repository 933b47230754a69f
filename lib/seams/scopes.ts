// The names of the crawl's scopes, apart from scope.ts, so that the CLI's flag table can name them
// without loading tldts (the public suffix list) for a crawl that needs no scope.

/** See scopeTest (scope.ts) for what each one keeps. */
export const scopes = ['origin', 'host', 'domain', 'any'] as const;
export type Scope = (typeof scopes)[number];
