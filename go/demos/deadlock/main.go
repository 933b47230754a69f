// Deadlock, the Go side of demos/deadlock.ts: what the Go runtime does when every goroutine is
// blocked on a channel. It notices, prints "all goroutines are asleep - deadlock!" and exits 2.
//
//	go run ./demos/deadlock -mode send     an unbuffered send that nobody receives
//	go run ./demos/deadlock -mode nosend   a channel crawler whose worker does not send on error
//	go run ./demos/deadlock -mode fixed    the lecture's way: seed sent from a goroutine, workers always send
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

// The lecture's graph: cmd/ is linked but missing, so one fetch fails.
var pages = map[string][]string{
	"http://golang.org/":         {"http://golang.org/pkg/", "http://golang.org/cmd/"},
	"http://golang.org/pkg/":     {"http://golang.org/", "http://golang.org/cmd/", "http://golang.org/pkg/fmt/", "http://golang.org/pkg/os/"},
	"http://golang.org/pkg/fmt/": {"http://golang.org/", "http://golang.org/pkg/"},
	"http://golang.org/pkg/os/":  {"http://golang.org/", "http://golang.org/pkg/"},
}

func fetch(url string) ([]string, error) {
	if urls, ok := pages[url]; ok {
		return urls, nil
	}
	return nil, errors.New("not found: " + url)
}

func worker(url string, ch chan []string, sendOnError bool) {
	urls, err := fetch(url)
	if err != nil {
		if sendOnError {
			ch <- []string{}
		}
		return // without the send above, the coordinator waits for this message for ever
	}
	ch <- urls
}

func coordinator(ch chan []string, sendOnError bool) {
	n := 1
	fetched := make(map[string]bool)
	for urls := range ch {
		for _, u := range urls {
			if !fetched[u] {
				fetched[u] = true
				n += 1
				go worker(u, ch, sendOnError)
			}
		}
		n -= 1
		if n == 0 {
			break
		}
	}
	fmt.Printf("coordinator done: %d URLs fetched, n == 0\n", len(fetched))
}

func main() {
	mode := flag.String("mode", "send", "send, nosend or fixed")
	flag.Parse()
	ch := make(chan []string)
	switch *mode {
	case "send":
		fmt.Println("sending the seed on an unbuffered channel, with no receiver yet")
		ch <- []string{"http://golang.org/"} // blocks: the receiver would be the coordinator, below
		coordinator(ch, true)
	case "nosend":
		fmt.Println("crawling with a worker that does not send when its fetch fails")
		go func() { ch <- []string{"http://golang.org/"} }()
		coordinator(ch, false)
	case "fixed":
		fmt.Println("seed sent from a goroutine; every worker sends, also on error")
		go func() { ch <- []string{"http://golang.org/"} }()
		coordinator(ch, true)
	default:
		fmt.Fprintf(os.Stderr, "deadlock: -mode must be send, nosend or fixed, got %q\n", *mode)
		os.Exit(2)
	}
}
