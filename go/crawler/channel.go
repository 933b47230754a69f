// Concurrent crawler with channels (the lecture's worker, coordinator and ConcurrentChannel).
package crawler

// message is what a worker sends: the URLs to follow (the lecture sends just these), from a page at depth.
type message struct {
	urls  []string
	depth int
}

func worker(url string, depth int, ch chan message, fetcher Fetcher, opts Options) {
	urls, err := fetcher.Fetch(url)
	if err != nil || depthLeft(opts, depth) <= 0 {
		ch <- message{[]string{}, depth}
	} else {
		ch <- message{urls, depth}
	}
}

func coordinator(ch chan message, fetcher Fetcher, opts Options) {
	n := 1
	fetched := make(map[string]int) // hops left from each URL (depthLeft); the lecture's holds true
	for m := range ch {
		for _, u := range m.urls {
			left := depthLeft(opts, m.depth+1)
			seen, ok := fetched[u]
			if worthVisit(seen, ok, left) {
				fetched[u] = left
				n += 1
				go worker(u, m.depth+1, ch, fetcher, opts)
			}
		}
		n -= 1
		if n == 0 {
			break
		}
	}
}

func ConcurrentChannel(url string, fetcher Fetcher, opts Options) {
	ch := make(chan message)
	go func() {
		ch <- message{[]string{url}, -1}
	}()
	coordinator(ch, fetcher, opts)
}
