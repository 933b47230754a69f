// Serial crawler: depth-first recursion over a fetched map (the lecture's Serial).
package crawler

func Serial(url string, fetcher Fetcher, fetched map[string]int, opts Options, depth int) {
	left := depthLeft(opts, depth)
	seen, ok := fetched[url]
	if !worthVisit(seen, ok, left) {
		return
	}
	fetched[url] = left
	urls, err := fetcher.Fetch(url)
	if err != nil || left <= 0 {
		return
	}
	for _, u := range urls {
		Serial(u, fetcher, fetched, opts, depth+1)
	}
}
