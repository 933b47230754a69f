// Concurrent crawler with shared state and Mutex (the lecture's fetchState and ConcurrentMutex).
package crawler

import "sync"

type fetchState struct {
	mu      sync.Mutex
	fetched map[string]int // hops left from each URL (depthLeft); the lecture's holds true
}

// testAndSet returns the old value, and sets only when this path is shorter (depth limits need both).
func (fs *fetchState) testAndSet(url string, left int) (int, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	r, ok := fs.fetched[url]
	if worthVisit(r, ok, left) {
		fs.fetched[url] = left
	}
	return r, ok
}

func ConcurrentMutex(url string, fetcher Fetcher, fs *fetchState, opts Options, depth int) {
	left := depthLeft(opts, depth)
	seen, ok := fs.testAndSet(url, left)
	if !worthVisit(seen, ok, left) {
		return
	}
	urls, err := fetcher.Fetch(url)
	if err != nil || left <= 0 {
		return
	}
	var done sync.WaitGroup
	for _, u := range urls {
		done.Add(1)
		go func(u string) {
			defer done.Done()
			ConcurrentMutex(u, fetcher, fs, opts, depth+1)
		}(u)
	}
	done.Wait()
}

func makeState() *fetchState {
	return &fetchState{fetched: make(map[string]int)}
}

// MakeState is makeState for package main.
func MakeState() *fetchState {
	return makeState()
}
