// The lecture's Fetcher interface and fakeFetcher, read from chancrawl's fixture JSON, and the two
// fetcher seams the TypeScript crawl() adds: a concurrency cap and fetch-once memory (lib/seams/cap.ts, once.ts).
package crawler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"sync"
)

// Fetcher is the lecture's interface: the URLs found on a page, or an error.
type Fetcher interface {
	Fetch(url string) (urls []string, err error)
}

// fakeFetcher is the lecture's map from URL to page. It prints as it fetches, as the original does.
type fakeFetcher map[string]*fakeResult

type fakeResult struct {
	Body string   `json:"body"`
	URLs []string `json:"urls"`
}

// out serialises the fetchers' lines: goroutines print one whole line at a time.
var out = struct {
	sync.Mutex
	w io.Writer
}{w: os.Stdout}

func (f fakeFetcher) Fetch(url string) ([]string, error) {
	if res, ok := f[url]; ok {
		printLine("found:   " + url)
		return res.URLs, nil
	}
	printLine("missing: " + url)
	return nil, fmt.Errorf("not found: %s", url)
}

func printLine(line string) {
	out.Lock()
	defer out.Unlock()
	fmt.Fprintln(out.w, line)
}

// SetOutput sends the fakeFetcher's lines to w instead of stdout.
func SetOutput(w io.Writer) {
	out.Lock()
	defer out.Unlock()
	out.w = w
}

// InputError is bad input (a fixture file): main prints its message alone and exits 2.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

func inputErrorf(format string, a ...interface{}) error {
	return &InputError{fmt.Sprintf(format, a...)}
}

// LoadFixture reads a fixture file (the format of lib/fixture.ts) and returns its fetcher and its
// start URL: "start", else the first page in the order JavaScript's Object.keys gives.
func LoadFixture(path string) (Fetcher, string, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, "", inputErrorf("%s: cannot read fixture: %v", path, err)
	}
	var file struct {
		Start *string         `json:"start"`
		Pages json.RawMessage `json:"pages"`
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, "", inputErrorf("%s: invalid fixture: %v", path, err)
	}
	if file.Pages == nil {
		return nil, "", inputErrorf("%s: pages: missing", path)
	}
	keys, err := objectKeys(file.Pages)
	if err != nil {
		return nil, "", inputErrorf("%s: pages: %v", path, err)
	}
	fetcher := fakeFetcher{}
	dec = json.NewDecoder(bytes.NewReader(file.Pages))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fetcher); err != nil {
		return nil, "", inputErrorf("%s: pages: %v", path, err)
	}
	for url, page := range fetcher {
		switch {
		case url == "":
			return nil, "", inputErrorf("%s: pages: a page URL must not be empty", path)
		case page == nil || page.URLs == nil:
			return nil, "", inputErrorf("%s: pages[%q]: needs \"body\" and \"urls\"", path, url)
		}
		for i, u := range page.URLs {
			if u == "" {
				return nil, "", inputErrorf("%s: pages[%q].urls[%d]: a URL must not be empty", path, url, i)
			}
		}
	}
	switch {
	case file.Start != nil && *file.Start == "":
		return nil, "", inputErrorf("%s: start: start must not be empty", path)
	case file.Start != nil:
		return fetcher, *file.Start, nil
	case len(keys) == 0:
		return nil, "", inputErrorf("%s: start: no start URL and no pages to take one from", path)
	}
	return fetcher, keys[0], nil
}

// objectKeys lists a JSON object's keys as JavaScript orders them: array indices first, ascending,
// then the others in the order they first appear. The TypeScript side picks its start this way.
func objectKeys(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("expected an object")
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
		if !seen[key] {
			seen[key] = true
			keys = append(keys, key)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, aok := arrayIndex(keys[i])
		b, bok := arrayIndex(keys[j])
		return aok && (!bok || a < b)
	})
	return keys, nil
}

func arrayIndex(key string) (uint64, bool) {
	n, err := strconv.ParseUint(key, 10, 32)
	return n, err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == key
}

// limited lets at most cap(slots) fetches run at once: a buffered channel as a semaphore.
type limited struct {
	fetcher Fetcher
	slots   chan struct{}
}

// Limit caps the fetches in flight at k (the --concurrency flag).
func Limit(fetcher Fetcher, k int) Fetcher {
	return &limited{fetcher, make(chan struct{}, k)}
}

func (l *limited) Fetch(url string) ([]string, error) {
	l.slots <- struct{}{}
	defer func() { <-l.slots }()
	return l.fetcher.Fetch(url)
}

// onceFetcher fetches each URL once; a repeat waits for, then gets, the first answer. A depth-limited
// crawl re-expands a page that a shorter path reaches later, and this keeps it from fetching twice.
type onceFetcher struct {
	fetcher Fetcher
	mu      sync.Mutex
	pages   map[string]*memo
}

type memo struct {
	ready chan struct{}
	urls  []string
	err   error
}

// Once wraps fetcher in fetch-once memory.
func Once(fetcher Fetcher) Fetcher {
	return &onceFetcher{fetcher: fetcher, pages: make(map[string]*memo)}
}

func (o *onceFetcher) Fetch(url string) ([]string, error) {
	o.mu.Lock()
	m, ok := o.pages[url]
	if !ok {
		m = &memo{ready: make(chan struct{})}
		o.pages[url] = m
	}
	o.mu.Unlock()
	if ok {
		<-m.ready
		return m.urls, m.err
	}
	m.urls, m.err = o.fetcher.Fetch(url)
	close(m.ready)
	return m.urls, m.err
}
