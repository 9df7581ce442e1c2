// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// Formats of the templates.
const (
	FormatFaro   = "faro"
	FormatBeacon = "beacon"
)

var (
	// A web-vitals measurement id ("v6-<ms>-<random>"), in a beacon or in Faro's
	// measurement context: each rendered request gets its own.
	vitalIDPattern = regexp.MustCompile(`"id":"v6-[0-9]+-[0-9]+"`)
	// Client times: Faro's ISO timestamps and the UnixNano strings of its OTLP traces.
	isoTimePattern  = regexp.MustCompile(`"timestamp":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z"`)
	nanoTimePattern = regexp.MustCompile(`UnixNano":"[0-9]{19}"`)
)

// Template is one request a real SDK sent (receiver/rumreceiver/testdata/sdk), ready to be
// sent again as a new request of another session.
type Template struct {
	Name   string // the capture's file
	Format string // FormatFaro or FormatBeacon
	// Vitals is how many web-vitals measurements the request carries.
	Vitals int

	path, query, contentType, origin string
	body                             []byte
	session                          []byte    // the capture's session id, quoted; Faro only
	latest                           time.Time // the latest client time in the body; Faro only
}

// LoadTemplates reads the Faro batches and the web-vitals beacons (single and batched) of
// the captures, in the order the SDKs sent them.
func LoadTemplates(t testing.TB) []*Template {
	t.Helper()
	m := sdkcaptures.Load(t)
	var out []*Template
	for _, scenario := range []string{"faro", "vitals", "vitals-batch"} {
		for _, c := range m.Of(t, scenario) {
			body, err := os.ReadFile(filepath.Join(sdkcaptures.Dir(t), c.File))
			require.NoError(t, err)
			tp := &Template{
				Name: c.File, Format: FormatBeacon, path: c.Path, query: strings.TrimPrefix(c.Query, "?"),
				contentType: c.Headers["content-type"], origin: c.Headers["origin"], body: body,
				Vitals: len(vitalIDPattern.FindAll(body, -1)),
			}
			if scenario == "faro" {
				tp.Format = FormatFaro
				tp.session = []byte(strconv.Quote(m.Scenarios["faro"].SessionID))
				require.True(t, bytes.Contains(body, tp.session), "%s names its session", c.File)
				tp.latest = latestTime(t, body)
			}
			out = append(out, tp)
		}
	}
	require.NotEmpty(t, out)
	return out
}

func latestTime(t testing.TB, body []byte) time.Time {
	var latest time.Time
	for _, m := range isoTimePattern.FindAll(body, -1) {
		ts, err := time.Parse(time.RFC3339Nano, string(m[len(`"timestamp":"`):len(m)-1]))
		require.NoError(t, err)
		if ts.After(latest) {
			latest = ts
		}
	}
	require.False(t, latest.IsZero(), "a Faro capture has timestamps")
	return latest
}

// Request is a template rendered for one session: a request nobody sent before.
type Request struct {
	Template  *Template
	SessionID string
	// VitalIDs are the browser.web_vital.id values of its measurements.
	VitalIDs []string
	// target is the path and query to post to; body and header what to send.
	target string
	header http.Header
	body   []byte
}

// IDs hands out session and measurement ids that no other run of the test uses.
type IDs struct {
	prefix string
	next   atomic.Uint64
}

// NewIDs starts ids with a prefix of the current time, so that runs sharing a storage
// directory or a backend never reuse one.
func NewIDs() *IDs { return &IDs{prefix: strconv.FormatInt(time.Now().UnixNano()%1e12, 36)} }

// Session is a new session id.
func (ids *IDs) Session() string { return fmt.Sprintf("%s-s%d", ids.prefix, ids.next.Add(1)) }

func (ids *IDs) measurement() string { return fmt.Sprintf("%s-m%d", ids.prefix, ids.next.Add(1)) }

// Render makes a request of the template for session: its measurements get new ids and
// its client times are moved so that the latest is now, as if the browser sent it now.
func (tp *Template) Render(ids *IDs, session string, now time.Time) *Request {
	r := &Request{Template: tp, SessionID: session, header: http.Header{}}
	r.header.Set("Content-Type", tp.contentType)
	if tp.origin != "" {
		r.header.Set("Origin", tp.origin)
	}
	body := vitalIDPattern.ReplaceAllFunc(tp.body, func([]byte) []byte {
		id := ids.measurement()
		r.VitalIDs = append(r.VitalIDs, id)
		return []byte(`"id":"` + id + `"`)
	})
	query := tp.query
	switch tp.Format {
	case FormatFaro:
		body = bytes.ReplaceAll(body, tp.session, []byte(strconv.Quote(session)))
		body = shiftTimes(body, now.Sub(tp.latest))
		r.header.Set("X-Faro-Session-Id", session)
	case FormatBeacon:
		// sendBeacon cannot set headers: the page puts its session in the query string.
		query = strings.TrimPrefix(query+"&session_id="+session, "&")
	}
	r.target = tp.path
	if query != "" {
		r.target += "?" + query
	}
	r.body = body
	return r
}

// shiftTimes moves every client time of a Faro body by d.
func shiftTimes(body []byte, d time.Duration) []byte {
	body = isoTimePattern.ReplaceAllFunc(body, func(m []byte) []byte {
		ts, err := time.Parse(time.RFC3339Nano, string(m[len(`"timestamp":"`):len(m)-1]))
		if err != nil {
			return m
		}
		return []byte(`"timestamp":"` + ts.Add(d).UTC().Format("2006-01-02T15:04:05.000Z07:00") + `"`)
	})
	return nanoTimePattern.ReplaceAllFunc(body, func(m []byte) []byte {
		ns, err := strconv.ParseInt(string(m[len(`UnixNano":"`):len(m)-1]), 10, 64)
		if err != nil {
			return m
		}
		return []byte(`UnixNano":"` + strconv.FormatInt(ns+int64(d), 10) + `"`)
	})
}

// Size is the length of the body.
func (r *Request) Size() int { return len(r.body) }
