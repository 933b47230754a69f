// Generated fixtures: a link graph of N pages, connected from its start, with cycles, self-links,
// duplicate links and missing pages; the same bytes for the same options, at any size up to 10^6+.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export interface GenOptions {
  /** Pages in the graph, counting the missing ones. */
  pages: number;
  /** Mean links per page. Default: 4. */
  degree?: number;
  /** The seed: the same seed, the same file. Default: 1. */
  seed?: number;
  /** The share of pages that are linked but have no entry (missing). Default: 0.05. */
  missing?: number;
  /** The site the URLs live on. Default: 'http://gen.test'. */
  origin?: string;
}

/** A small, fast seeded PRNG (mulberry32): a number in [0, 1) per call. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Writes the fixture JSON to `out`. Page 0 is the start and is never missing; every other page
 * hangs from a random earlier page that is not missing (so all are reachable), and every present
 * page gets `degree - 1` more links to pages drawn at random, in shuffled order.
 */
export async function generate(options: GenOptions, out: Writable): Promise<void> {
  const { pages: n, degree = 4, seed = 1, missing = 0.05, origin = 'http://gen.test' } = options;
  const random = seededRandom(seed);
  const pick = (below: number) => Math.floor(random() * below);
  const isMissing = new Uint8Array(n);
  for (let i = 1; i < n; i++) isMissing[i] = random() < missing ? 1 : 0;

  // Tree parents, then children in CSR form: page p's children are child[first[p] .. first[p+1]).
  const parent = new Int32Array(n);
  const first = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) {
    let p = pick(i);
    while (isMissing[p]) p = pick(i);
    parent[i] = p;
    first[p + 1]! += 1;
  }
  for (let p = 0; p < n; p++) first[p + 1]! += first[p]!;
  const child = new Int32Array(Math.max(n - 1, 0));
  const filled = first.slice(0, n);
  for (let i = 1; i < n; i++) child[filled[parent[i]!]!++] = i;

  const url = (i: number) => `${origin}/${i}`;
  let chunk = `{\n"start": ${JSON.stringify(url(0))},\n"pages": {`;
  let comma = '';
  for (let p = 0; p < n; p++) {
    if (isMissing[p]) continue;
    const links: number[] = [];
    for (let c = first[p]!; c < first[p + 1]!; c++) links.push(child[c]!);
    for (let k = 1; k < degree; k++) links.push(pick(n));
    for (let i = links.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [links[i], links[j]] = [links[j]!, links[i]!];
    }
    chunk += `${comma}\n${JSON.stringify(url(p))}: {"body": "Page ${p}", "urls": [${links.map((l) => JSON.stringify(url(l))).join(', ')}]}`;
    comma = ',';
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  chunk += '\n}\n}\n';
  if (!out.write(chunk)) await once(out, 'drain');
}
