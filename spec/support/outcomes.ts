// What every crawl owes its user, checked from its results alone: each URL reported once, and
// every URL it discovered (the start, each found page's links, each link a seam dropped) reported.
import { expect } from 'vitest';
import type { Result, SkipReason } from '../../lib/types.js';

export function expectEachDiscoveredOnce(results: Result[], start: string): void {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.url, (counts.get(r.url) ?? 0) + 1);
  expect(
    [...counts].filter(([, n]) => n > 1).map(([u]) => u),
    'reported more than once',
  ).toEqual([]);
  const discovered = new Set([start]);
  for (const r of results) {
    if (r.kind !== 'found') continue;
    for (const u of r.page.urls) discovered.add(u);
    for (const d of r.page.dropped ?? []) discovered.add(d.url);
  }
  expect(
    [...discovered].filter((u) => !counts.has(u)),
    'discovered but not reported',
  ).toEqual([]);
  expect(
    [...counts.keys()].filter((u) => !discovered.has(u)),
    'reported but never discovered',
  ).toEqual([]);
}

/** How many results of each outcome: found, failed, and skipped per reason. */
export function tally(results: Result[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const r of results) {
    const key = r.kind === 'skipped' ? `skipped:${r.reason}` : r.kind;
    t[key] = (t[key] ?? 0) + 1;
  }
  return t;
}

export function skippedFor(results: Result[], reason: SkipReason): string[] {
  return results.filter((r) => r.kind === 'skipped' && r.reason === reason).map((r) => r.url);
}
