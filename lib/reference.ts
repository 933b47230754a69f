// An independent oracle for the designs: the Serial order computed without recursion, generators
// or fetchers, straight from a fixture's map. `make diff` and the tests compare the designs to it.
import type { Fixture } from './fixture.js';

export interface Expected {
  url: string;
  found: boolean;
}

/**
 * The fetches a depth-first crawl makes from `start`, in order. An explicit stack stands in for the
 * recursion; a URL reached again along a shorter path is expanded again but not fetched again.
 */
export function referenceCrawl(fixture: Fixture, start: string, maxDepth = Infinity): Expected[] {
  const order: Expected[] = [];
  const shortest = new Map<string, number>();
  const stack: [string, number][] = [[start, 0]];
  while (stack.length > 0) {
    const [url, depth] = stack.pop()!;
    const before = shortest.get(url);
    if (before !== undefined && (before <= depth || maxDepth === Infinity)) continue;
    shortest.set(url, depth);
    const page = Object.hasOwn(fixture.pages, url) ? fixture.pages[url] : undefined;
    if (before === undefined) order.push({ url, found: page !== undefined });
    if (page === undefined || depth >= maxDepth) continue;
    for (let i = page.urls.length - 1; i >= 0; i--) stack.push([page.urls[i]!, depth + 1]);
  }
  return order;
}
