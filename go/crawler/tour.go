// The Go tour's exercise, solved: Crawl to a depth, in parallel, never fetching a URL twice.
package crawler

// Crawl fetches url when depth > 0 and crawls its links with depth-1, one goroutine per link and a
// done channel to wait for them, as the tour's solution does. The tour's depth counts fetches:
// Crawl(url, 4) is --depth 3. The visited map holds the best depth seen, so a URL first reached
// along a long path is crawled again from a shorter one; the fetcher must then be a Once, so that
// the page is not fetched twice. The tour's fetcher returns a body that Crawl prints; here the
// fakeFetcher prints, so that every twin prints the same lines.
func Crawl(url string, depth int, fetcher Fetcher, visited *fetchState) {
	if depth <= 0 {
		return
	}
	if seen, ok := visited.testAndSet(url, depth); !worthVisit(seen, ok, depth) {
		return
	}
	urls, err := fetcher.Fetch(url)
	if err != nil {
		return
	}
	done := make(chan bool)
	for _, u := range urls {
		go func(u string) {
			Crawl(u, depth-1, fetcher, visited)
			done <- true
		}(u)
	}
	for range urls {
		<-done
	}
}
