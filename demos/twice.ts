// Lesson: fetching twice, and cycles. The fetched map is what stops both; here it is taken away.
//
// 1. Serial with a fetched map that never remembers: on a graph with a cycle it goes round for
//    ever. A step limit (an AbortSignal after so many fetches) makes it end.
// 2. ConcurrentMutex with its check and its set split by an await: two tasks both see "not fetched"
//    before either marks it, and both fetch. We count the duplicates.
// Both use the real designs, unchanged; only the state handed to them is broken.
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import { ConcurrentMutex, fetchState, makeState } from '../lib/designs/mutex.js';
import { Serial } from '../lib/designs/serial.js';
import { FixtureFetcher, loadFixture, parseFixture, startOf, type Fixture } from '../lib/fixture/fixture.js';
import { generate } from '../lib/fixture/gen.js';
import type { Fetcher, Page } from '../lib/types.js';
import { worthVisit } from '../lib/designs/visit.js';
import { conclude, fixturePath, runAsScript, say } from './script.js';

/** A fetched map with no memory: `fetched[url]` is always false. */
class Forgetful extends Map<string, number> {
  override get(): undefined {
    return undefined;
  }
}

/** testAndSet done wrong: the check, then an await, then the set, so the lock does not cover both. */
class SplitState extends fetchState {
  override async testAndSet(url: string, left: number): Promise<number | undefined> {
    await this.mu.lock();
    const seen = this.fetched.get(url);
    this.mu.unlock();
    await turn(); // the gap (say, a log write): another task checks the same URL here and also sees "not fetched"
    await this.mu.lock();
    if (worthVisit(seen, left)) this.fetched.set(url, left);
    this.mu.unlock();
    return seen;
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counts fetches per URL, and stops the crawl after `steps` fetches when given a limit. */
class Counting implements Fetcher {
  readonly counts = new Map<string, number>();
  readonly stop = new AbortController();
  constructor(
    readonly inner: Fetcher,
    readonly steps = Infinity,
  ) {}

  fetch(url: string, signal?: AbortSignal): Promise<Page> {
    this.counts.set(url, (this.counts.get(url) ?? 0) + 1);
    if (this.total >= this.steps) this.stop.abort(new Error('step limit'));
    return this.inner.fetch(url, signal);
  }

  get total(): number {
    let t = 0;
    for (const c of this.counts.values()) t += c;
    return t;
  }

  /** Fetches beyond the first of each URL. */
  get duplicates(): number {
    return this.total - this.counts.size;
  }
}

/** ConcurrentMutex on one graph: with testAndSet, then with its check and set split. */
export interface MutexCounts {
  graph: string;
  urls: number;
  fetches: number;
  duplicates: number;
  splitFetches: number;
  splitDuplicates: number;
}

export interface TwiceCounts {
  cycleFixture: string;
  /** Serial with its fetched map: fetches, distinct URLs. */
  serialFetches: number;
  serialUrls: number;
  /** Serial without memory: fetches until the step limit, distinct URLs, and the most fetches of one URL. */
  stepLimit: number;
  forgetfulFetches: number;
  forgetfulUrls: number;
  forgetfulMostOfOne: number;
  stoppedByLimit: boolean;
  mutex: MutexCounts[];
}

/** The lecture's graph, one made of duplicate links, and a generated one of 300 pages. */
const mutexGraphs = [fixturePath('golang-org.json'), fixturePath('self-and-duplicate-links.json'), 'gen:300'];

export async function twice(cycleFixture = fixturePath('cycles.json'), graphs = mutexGraphs, stepLimit = 100): Promise<TwiceCounts> {
  const cycles = loadFixture(cycleFixture);
  const serial = new Counting(new FixtureFetcher(cycles));
  for await (const r of Serial(startOf(cycles), serial)) void r;

  const forgetful = new Counting(new FixtureFetcher(cycles), stepLimit);
  for await (const r of Serial(startOf(cycles), forgetful, new Forgetful(), { signal: forgetful.stop.signal })) void r;

  const mutex: MutexCounts[] = [];
  for (const graph of graphs) {
    const fixture = graph.startsWith('gen:') ? await generated(Number(graph.slice(4))) : loadFixture(graph);
    const whole = new Counting(new FixtureFetcher(fixture));
    for await (const r of ConcurrentMutex(startOf(fixture), whole, makeState())) void r;
    const split = new Counting(new FixtureFetcher(fixture));
    for await (const r of ConcurrentMutex(startOf(fixture), split, new SplitState())) void r;
    mutex.push({
      graph: graph.startsWith('gen:') ? `a generated graph of ${graph.slice(4)} pages` : basename(graph),
      urls: whole.counts.size,
      fetches: whole.total,
      duplicates: whole.duplicates,
      splitFetches: split.total,
      splitDuplicates: split.duplicates,
    });
  }

  return {
    cycleFixture: basename(cycleFixture),
    serialFetches: serial.total,
    serialUrls: serial.counts.size,
    stepLimit,
    forgetfulFetches: forgetful.total,
    forgetfulUrls: forgetful.counts.size,
    forgetfulMostOfOne: Math.max(...forgetful.counts.values()),
    stoppedByLimit: forgetful.stop.signal.aborted,
    mutex,
  };
}

async function generated(pages: number): Promise<Fixture> {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, next) {
      text += chunk.toString();
      next();
    },
  });
  await generate({ pages, seed: 1 }, out);
  return parseFixture(text);
}

runAsScript(import.meta, async () => {
  const c = await twice();
  say(`Serial on ${c.cycleFixture} (a -> b -> c -> a, and more cycles):`);
  say(`  with its fetched map:    ${c.serialFetches} fetches of ${c.serialUrls} URLs, then done`);
  say(
    `  with a map that forgets: ${c.forgetfulFetches} fetches of ${c.forgetfulUrls} URLs (one URL ${c.forgetfulMostOfOne} times), ${c.stoppedByLimit ? `stopped by the step limit of ${c.stepLimit}` : 'ended by itself'}`,
  );
  for (const m of c.mutex) {
    say(`ConcurrentMutex on ${m.graph} (${m.urls} URLs):`);
    say(`  testAndSet under one lock:        ${m.fetches} fetches, ${m.duplicates} duplicates`);
    say(`  check and set split by an await:  ${m.splitFetches} fetches, ${m.splitDuplicates} duplicates`);
  }
  const worst = c.mutex.reduce((a, b) => (b.splitDuplicates > a.splitDuplicates ? b : a));
  const hidden = c.mutex.filter((m) => m.splitDuplicates === 0).map((m) => m.graph);
  conclude(
    `Without its fetched map, Serial went round the cycles for ${c.forgetfulFetches} fetches of just ${c.forgetfulUrls} URLs, never reaching the other ${c.serialUrls - c.forgetfulUrls}, and ${c.stoppedByLimit ? 'only the step limit stopped it' : 'then ended'}; with the map it fetched each of ${c.serialUrls} URLs once.`,
    `With its check and its set split by an await, ConcurrentMutex fetched ${worst.splitDuplicates} duplicates on ${worst.graph} (${worst.splitFetches} fetches for ${worst.urls} URLs); with testAndSet doing both under one lock it fetched ${c.mutex.map((m) => m.duplicates).join(', ')} duplicates on the ${c.mutex.length} graphs.`,
    hidden.length
      ? `On ${hidden.join(' and ')} the broken version fetched no duplicate at all: a race needs two tasks in the gap at once, and small tests rarely put them there.`
      : '',
  );
});
