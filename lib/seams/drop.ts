// What a link filter does with a page (scope, robots.txt): the links it refuses move from
// page.urls to page.dropped, each once, so the designs never see them and crawl() reports them skipped.
import type { Page, SkipReason } from '../types.js';

/** `page` with only the links that pass `keep`; the others dropped with `reason`, and `detail` when it gives one. */
export function keepLinks(page: Page, keep: (url: string) => boolean, reason: SkipReason, detail: (url: string) => string | undefined = () => undefined): Page {
  const kept: string[] = [];
  const out = new Set<string>();
  for (const u of page.urls) {
    if (keep(u)) kept.push(u);
    else out.add(u);
  }
  if (out.size === 0) return page;
  return {
    ...page,
    urls: kept,
    dropped: [
      ...(page.dropped ?? []),
      ...[...out].map((url) => {
        const why = detail(url);
        return why === undefined ? { url, reason } : { url, reason, detail: why };
      }),
    ],
  };
}
