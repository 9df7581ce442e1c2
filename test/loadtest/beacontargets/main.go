// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Command beacontargets writes web-vitals beacons for vegeta's open-loop attack
// (`vegeta attack -format=json -lazy`), one JSON target per line: the captured beacon with
// a measurement id of its own in every target, and a session_id query parameter that
// cycles over -sessions sessions. It is what test/loadtest/post.lua does per request for
// wrk: with a fixed id the webvitals processor would count the first beacon and drop the
// rest as repeats, and with one session the session processor would hold one entry.
//
//	beacontargets -url http://127.0.0.1:19347/vitals -body vitals-02-fcp.json -n 80000
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
)

// target is one line of vegeta's JSON target format; Body is base64 in JSON, as vegeta
// expects.
type target struct {
	Method string              `json:"method"`
	URL    string              `json:"url"`
	Body   []byte              `json:"body"`
	Header map[string][]string `json:"header"`
}

func main() {
	url := flag.String("url", "", "the /vitals URL to post to (loopback)")
	bodyPath := flag.String("body", "", "a captured web-vitals beacon (JSON)")
	n := flag.Int("n", 0, "how many targets to write; each has a measurement id of its own")
	sessions := flag.Int("sessions", 100000, "how many distinct session ids the targets cycle over")
	flag.Parse()
	if *url == "" || *bodyPath == "" || *n <= 0 || *sessions <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := write(*url, *bodyPath, *n, *sessions); err != nil {
		log.Fatal(err)
	}
}

func write(url, bodyPath string, n, sessions int) error {
	capture, err := os.ReadFile(bodyPath)
	if err != nil {
		return err
	}
	before, after, err := splitAtID(capture)
	if err != nil {
		return fmt.Errorf("%s: %w", bodyPath, err)
	}
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	t := target{Method: "POST", Header: map[string][]string{"Content-Type": {"text/plain;charset=UTF-8"}}}
	for i := range n {
		t.URL = url + "?session_id=lt-s" + strconv.Itoa(i%sessions)
		t.Body = append(append(append(t.Body[:0], before...), "v6-lt-o-"+strconv.Itoa(i)...), after...)
		if err := enc.Encode(&t); err != nil {
			return err
		}
	}
	return out.Flush()
}

// splitAtID cuts the beacon around the value of its top-level "id" (the measurement id
// web-vitals gives each metric), so that a new id can go in between.
func splitAtID(capture []byte) (before, after []byte, err error) {
	var metric struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(capture, &metric); err != nil {
		return nil, nil, err
	}
	if metric.ID == "" {
		return nil, nil, errors.New("no measurement id in the beacon")
	}
	field := []byte(`"id":"` + metric.ID + `"`)
	i := bytes.Index(capture, field)
	if i < 0 {
		return nil, nil, errors.New("measurement id not found as written")
	}
	start := i + len(`"id":"`)
	return capture[:start], capture[start+len(metric.ID):], nil
}
