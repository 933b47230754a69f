// The probe: a Fetcher seam that watches the requests themselves, for the in-flight count a
// progress line reads and for when each request ran (a timeline's bars, a result's wait).
import type { Fetcher } from '../types.js';

/** What the probe notes; each is optional, and the probe notes only what it is given. */
export interface ProbeOptions {
  /** Its `inFlight` counts the requests on the wire, up when one starts and down when it ends. */
  counts?: { inFlight: number };
  /** URL -> [start, end] of its request, on performance.now()'s clock, set when the request ends. */
  ran?: Map<string, [number, number]>;
}

/**
 * The innermost seam, so what it sees is the request itself: a fetch waiting for a slot, a delay
 * or robots.txt is not in flight yet, and a result's own start, taken before the seams, also
 * counts that wait. One promise per fetch, for both notes.
 */
export function probe(fetcher: Fetcher, { counts, ran }: ProbeOptions): Fetcher {
  return {
    async fetch(url, signal) {
      const start = ran === undefined ? 0 : performance.now();
      if (counts !== undefined) counts.inFlight += 1;
      try {
        return await fetcher.fetch(url, signal);
      } finally {
        if (counts !== undefined) counts.inFlight -= 1;
        ran?.set(url, [start, performance.now()]);
      }
    },
  };
}
