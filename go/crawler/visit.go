// The depth bookkeeping every design does beyond the Go lines (lib/visit.ts).
package crawler

import "math"

// NoLimit is MaxDepth when links are followed at any distance.
const NoLimit = math.MaxInt

// Options are what the TypeScript CrawlOptions carry that the Go designs need.
type Options struct {
	// MaxDepth: follow links at most this many hops from the start (hop 0), or NoLimit.
	MaxDepth int
}

// depthLeft is the value a fetched map holds for a URL: the hops it may still follow from there
// (the lecture's map holds true). Without a limit every value is NoLimit, so "seen" is all that counts.
func depthLeft(opts Options, depth int) int {
	if opts.MaxDepth == NoLimit {
		return NoLimit
	}
	return opts.MaxDepth - depth
}

// worthVisit is the lecture's !fetched[url], with depth: never seen, or seen along a longer path.
func worthVisit(seen int, ok bool, left int) bool {
	return !ok || seen < left
}

// Run crawls from start with the design named by variant (serial, mutex, channel), as the
// TypeScript designs table does; it reports false for a name it does not know.
func Run(variant, start string, fetcher Fetcher, opts Options) bool {
	switch variant {
	case "serial":
		Serial(start, fetcher, make(map[string]int), opts, 0)
	case "mutex":
		ConcurrentMutex(start, fetcher, MakeState(), opts, 0)
	case "channel":
		ConcurrentChannel(start, fetcher, opts)
	default:
		return false
	}
	return true
}
