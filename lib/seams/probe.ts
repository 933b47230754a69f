// Probes: Fetcher seams that watch the requests on the wire, the in-flight count a progress line
// reads and when each request ran (the timeline's bars).
import type { Fetcher } from '../types.js';

/** Counts the fetches on the wire: the innermost seam, so waiting for a slot or a delay is not counted. */
export function inFlight(fetcher: Fetcher, counts: { inFlight: number }): Fetcher {
  return {
    async fetch(url, signal) {
      counts.inFlight += 1;
      try {
        return await fetcher.fetch(url, signal);
      } finally {
        counts.inFlight -= 1;
      }
    },
  };
}

/**
 * Notes when each request really ran, innermost like inFlight: a result's own start is taken before
 * the seams, so under a cap, a delay or robots.txt it also counts the wait. `ran` maps URL -> [start, end].
 */
export function timed(fetcher: Fetcher, ran: Map<string, [number, number]>): Fetcher {
  return {
    async fetch(url, signal) {
      const start = performance.now();
      try {
        return await fetcher.fetch(url, signal);
      } finally {
        ran.set(url, [start, performance.now()]);
      }
    },
  };
}
