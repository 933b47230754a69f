// chancrawl-go: the Go twins of chancrawl's designs, on the same fixture files, with the same flags
// and the same lines, so that `make go-diff` can hold the TypeScript ports to the Go originals.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"chancrawl/go/crawler"
)

const usage = `chancrawl-go: the Go twins of chancrawl's designs

Usage: chancrawl-go [options] [START_URL]

  --variant serial|mutex|channel|tour  which design crawls (default: channel);
                       tour is the Go tour's Crawl, solved (parallel, never fetching twice)
  --fixture FILE       the link graph to crawl, JSON (default: fixtures/golang-org.json)
  --depth N            follow links at most N hops from the start, which is hop 0 (default: no limit)
  --concurrency K      at most K fetches in flight (default: no limit)
  START_URL            where to start (default: the fixture's "start", else its first page)

Prints "found:   URL" or "missing: URL" per fetch. Exit codes: 0 done; 2 bad input.
`

func main() {
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	crawler.SetOutput(w)
	err := run(os.Args[1:])
	if ferr := w.Flush(); err == nil && ferr != nil && !errors.Is(ferr, os.ErrClosed) {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "chancrawl-go: %v\n", err)
		var ie *crawler.InputError
		var bf badFlag
		if errors.As(err, &ie) || errors.As(err, &bf) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// badFlag is bad input on the command line: its message alone, exit 2.
type badFlag struct{ msg string }

func (e badFlag) Error() string { return e.msg }

func run(args []string) error {
	fs := flag.NewFlagSet("chancrawl-go", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	variant := fs.String("variant", "channel", "")
	fixture := fs.String("fixture", defaultFixture(), "")
	depth := fs.String("depth", "", "")
	concurrency := fs.String("concurrency", "", "")
	help := fs.Bool("help", false, "")
	fs.BoolVar(help, "h", false, "")

	// Flags may follow START_URL, as node's parseArgs allows on the TypeScript side.
	var positionals []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return badFlag{strings.SplitN(err.Error(), "\n", 2)[0]}
		}
		if fs.NArg() == 0 {
			break
		}
		positionals = append(positionals, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if *help {
		fmt.Print(usage)
		return nil
	}

	opts := crawler.Options{MaxDepth: crawler.NoLimit}
	if *depth != "" {
		n, err := whole(*depth, 0)
		if err != nil {
			return badFlag{fmt.Sprintf("--depth: %v (got %q)", err, *depth)}
		}
		opts.MaxDepth = n
	}
	k := 0
	if *concurrency != "" {
		n, err := whole(*concurrency, 1)
		if err != nil {
			return badFlag{fmt.Sprintf("--concurrency: %v (got %q)", err, *concurrency)}
		}
		k = n
	}
	switch *variant {
	case "serial", "mutex", "channel", "tour":
	default:
		return badFlag{fmt.Sprintf("--variant: must be one of serial, mutex, channel, tour (got %q)", *variant)}
	}
	if len(positionals) > 1 {
		return badFlag{fmt.Sprintf("one START_URL at most (got %d: %s)", len(positionals), strings.Join(positionals, " "))}
	}

	fetcher, start, err := crawler.LoadFixture(*fixture)
	if err != nil {
		return err
	}
	if len(positionals) == 1 {
		start = positionals[0]
	}
	// The same seams, in the same order, as the TypeScript crawl().
	if k > 0 {
		fetcher = crawler.Limit(fetcher, k)
	}
	if opts.MaxDepth != crawler.NoLimit || *variant == "tour" {
		fetcher = crawler.Once(fetcher)
	}

	if *variant == "tour" {
		d := crawler.NoLimit
		if opts.MaxDepth != crawler.NoLimit {
			d = opts.MaxDepth + 1
		}
		crawler.Crawl(start, d, fetcher, crawler.MakeState())
	} else {
		crawler.Run(*variant, start, fetcher, opts)
	}
	return nil
}

func whole(s string, min int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < min || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("must be a whole number >= %d", min)
	}
	return n, nil
}

// defaultFixture is the Go tour's graph in the repository's fixtures/, found from this source file
// (go run and go build keep its path), else from the working directory.
func defaultFixture() string {
	if _, file, _, ok := runtime.Caller(0); ok {
		path := filepath.Join(filepath.Dir(file), "..", "..", "..", "fixtures", "golang-org.json")
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	return filepath.Join("fixtures", "golang-org.json")
}
