// bench-go: bench/one.ts for the Go twins. One crawl of a fixture already in memory, timed apart
// from loading it, the fakeFetcher's lines going to a buffer that is thrown away; one JSON line out.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"chancrawl/go/crawler"
)

func main() {
	variant := flag.String("variant", "channel", "serial, mutex or channel")
	fixture := flag.String("fixture", "", "the fixture JSON")
	latency := flag.Duration("latency", 0, "simulated time per fetch, as bench/one.ts --latency-ms")
	flag.Parse()
	w := bufio.NewWriterSize(io.Discard, 1<<16)
	crawler.SetOutput(w)

	t0 := time.Now()
	fetcher, start, err := crawler.LoadFixture(*fixture)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-go:", err)
		os.Exit(2)
	}
	counted := &counting{fetcher: fetcher, latency: *latency}
	t1 := time.Now()
	opts := crawler.Options{MaxDepth: crawler.NoLimit}
	if !crawler.Run(*variant, start, counted, opts) {
		fmt.Fprintln(os.Stderr, "bench-go: --variant: one of serial, mutex, channel")
		os.Exit(2)
	}
	w.Flush()
	t2 := time.Now()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"variant":  *variant,
		"fetches":  counted.n,
		"loadMs":   float64(t1.Sub(t0).Microseconds()) / 1000,
		"crawlMs":  float64(t2.Sub(t1).Microseconds()) / 1000,
		"maxRssMB": float64(ru.Maxrss) / 1024,
	})
}

// counting counts the fetches, as bench/one.ts counts found and failed results.
type counting struct {
	fetcher crawler.Fetcher
	latency time.Duration
	n       int64
}

func (c *counting) Fetch(url string) ([]string, error) {
	atomic.AddInt64(&c.n, 1)
	time.Sleep(c.latency)
	return c.fetcher.Fetch(url)
}
