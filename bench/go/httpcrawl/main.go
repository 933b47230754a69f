// httpcrawl: the reference beside chancrawl on a real site. The lecture's ConcurrentChannel design
// over net/http: 16 workers fetch, one coordinator owns the fetched map and counts what is owed.
// Links as chancrawl reads them: <a href> and <area href>, resolved against the first http(s)
// <base href>, fragments dropped, http(s) only, same origin as the start. Writes each found URL
// (2xx, or a 3xx whose target is then crawled) to -out, one a line with its
// status and media type, tab-separated; prints one JSON line.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"syscall"
	"time"
)

var (
	tagRe  = regexp.MustCompile(`(?is)<!--.*?-->|<(a|area|base)\s[^>]*>`)
	hrefRe = regexp.MustCompile(`(?is)\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

type result struct {
	url    string
	found  bool
	status int
	mime   string
	urls   []string
}

func main() {
	start := flag.String("url", "", "where to start")
	workers := flag.Int("workers", 16, "fetches in flight")
	out := flag.String("out", "", "write found URLs here")
	flag.Parse()
	origin, err := url.Parse(*start)
	if err != nil || origin.Host == "" {
		fmt.Fprintln(os.Stderr, "httpcrawl: -url: an absolute http(s) URL")
		os.Exit(2)
	}
	client := &http.Client{
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: *workers, DisableCompression: false},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t0 := time.Now()
	jobs := make(chan string, 1<<16)
	results := make(chan result, 1<<16)
	for i := 0; i < *workers; i++ {
		go func() {
			for u := range jobs {
				results <- fetch(client, u, origin)
			}
		}()
	}
	fetched := map[string]bool{*start: true}
	var found []string
	queue := []string{*start}
	n := 1
	for n > 0 {
		// The coordinator keeps the frontier itself, so a worker never waits to send.
		var send chan string
		var next string
		if len(queue) > 0 {
			send, next = jobs, queue[0]
		}
		select {
		case send <- next:
			queue = queue[1:]
		case r := <-results:
			n--
			if r.found {
				found = append(found, fmt.Sprintf("%s\t%d\t%s", r.url, r.status, r.mime))
			}
			for _, u := range r.urls {
				if !fetched[u] {
					fetched[u] = true
					n++
					queue = append(queue, u)
				}
			}
		}
	}
	close(jobs)
	wall := time.Since(t0)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "httpcrawl:", err)
			os.Exit(1)
		}
		w := bufio.NewWriter(f)
		for _, u := range found {
			fmt.Fprintln(w, u)
		}
		w.Flush()
		f.Close()
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"fetches": len(fetched), "found": len(found), "wallMs": float64(wall.Microseconds()) / 1000, "maxRssMB": float64(ru.Maxrss) / 1024})
}

func fetch(client *http.Client, u string, origin *url.URL) result {
	resp, err := client.Get(u)
	if err != nil {
		return result{url: u}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		target, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			return result{url: u}
		}
		return result{url: u, found: true, status: resp.StatusCode, urls: keep(nil, target, origin)}
	}
	if resp.StatusCode >= 400 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return result{url: u}
	}
	mime := strings.ToLower(strings.TrimSpace(strings.Split(resp.Header.Get("Content-Type"), ";")[0]))
	if mime != "text/html" && mime != "application/xhtml+xml" {
		io.Copy(io.Discard, resp.Body)
		return result{url: u, found: true, status: resp.StatusCode, mime: mime}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return result{url: u}
	}
	base := resp.Request.URL
	var urls []string
	baseSeen := false
	for _, m := range tagRe.FindAllSubmatchIndex(body, -1) {
		if m[2] < 0 {
			continue // a comment
		}
		tag := strings.ToLower(string(body[m[2]:m[3]]))
		h := hrefRe.FindSubmatch(body[m[0]:m[1]])
		if h == nil {
			continue
		}
		href := strings.TrimSpace(html.UnescapeString(string(h[1]) + string(h[2]) + string(h[3])))
		if tag == "base" {
			if !baseSeen {
				baseSeen = true
				if b, err := resp.Request.URL.Parse(href); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
					base = b
				}
			}
			continue
		}
		urls = append(urls, href)
	}
	var links []string
	for _, href := range urls {
		if target, err := base.Parse(href); err == nil {
			links = keep(links, target, origin)
		}
	}
	return result{url: u, found: true, status: resp.StatusCode, mime: mime, urls: links}
}

// keep appends target in chancrawl's normal form if it is http(s) on the start's origin.
func keep(links []string, target *url.URL, origin *url.URL) []string {
	if (target.Scheme != "http" && target.Scheme != "https") || target.Scheme != origin.Scheme || target.Host != origin.Host {
		return links
	}
	target.Fragment = ""
	target.RawFragment = ""
	if target.Path == "" {
		target.Path = "/"
	}
	return append(links, target.String())
}
