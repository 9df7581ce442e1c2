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
	// FormatOTLPJSON is the OpenTelemetry JS web SDK's OTLP/HTTP JSON export.
	FormatOTLPJSON = "otlp-json"
)

var (
	// A web-vitals measurement id ("v6-<ms>-<random>"), in a beacon or in Faro's
	// measurement context: each rendered request gets its own.
	vitalIDPattern = regexp.MustCompile(`"id":"v6-[0-9]+-[0-9]+"`)
	// The same id as a browser.web_vital.id attribute of an OTLP JSON log record.
	otlpVitalIDPattern = regexp.MustCompile(`"browser\.web_vital\.id","value":\{"stringValue":"v6-[0-9]+-[0-9]+"\}`)
	// A trace id wherever it stands: a JSON field of its own or inside a traceparent.
	traceIDPattern = regexp.MustCompile(`\b[0-9a-f]{32}\b`)
	// Client times: Faro's ISO timestamps and the UnixNano strings of its OTLP traces.
	isoTimePattern  = regexp.MustCompile(`"timestamp":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z"`)
	nanoTimePattern = regexp.MustCompile(`UnixNano":"[0-9]{19}"`)
)

// Template is one request a real SDK sent (receiver/rumreceiver/testdata/sdk), ready to be
// sent again as a new request of another session.
type Template struct {
	Name   string // the capture's file
	Format string // FormatFaro, FormatBeacon or FormatOTLPJSON
	// Vitals is how many web-vitals measurements the request carries.
	Vitals int

	path, query, contentType, origin, apiKey string
	body                                     []byte
	session                                  []byte    // the capture's session id, quoted; Faro and OTLP only
	latest                                   time.Time // the latest client time in the body; Faro and OTLP only
}

// LoadTemplates reads the Faro batches and the web-vitals beacons (single and batched) of
// the captures, in the order the SDKs sent them.
func LoadTemplates(t testing.TB) []*Template {
	t.Helper()
	m := sdkcaptures.Load(t)
	var out []*Template
	for _, scenario := range []string{"faro", "vitals", "vitals-batch"} {
		for _, c := range m.Of(t, scenario) {
			out = append(out, newTemplate(t, m, c))
		}
	}
	require.NotEmpty(t, out)
	return out
}

// newTemplate reads one capture of a Faro, OTLP JSON or beacon scenario.
func newTemplate(t testing.TB, m sdkcaptures.Manifest, c sdkcaptures.Capture) *Template {
	t.Helper()
	require.False(t, c.Gzipped, "%s: gzipped captures are not templates", c.File)
	body, err := os.ReadFile(filepath.Join(sdkcaptures.Dir(t), c.File))
	require.NoError(t, err)
	tp := &Template{
		Name: c.File, Format: FormatBeacon, path: c.Path, query: strings.TrimPrefix(c.Query, "?"),
		contentType: c.Headers["content-type"], origin: c.Headers["origin"], apiKey: c.Headers["x-api-key"], body: body,
		Vitals: len(vitalIDPattern.FindAll(body, -1)),
	}
	switch {
	case c.Scenario == "faro":
		tp.Format = FormatFaro
		tp.session = []byte(strconv.Quote(m.Scenarios[c.Scenario].SessionID))
		require.True(t, bytes.Contains(body, tp.session), "%s names its session", c.File)
		tp.latest = latestTime(t, body)
	case c.Scenario == "otel":
		require.Equal(t, "application/json", tp.contentType, c.File)
		tp.Format = FormatOTLPJSON
		tp.session = []byte(strconv.Quote(m.Scenarios[c.Scenario].SessionID))
		require.True(t, bytes.Contains(body, tp.session), "%s names its session", c.File)
		tp.latest = latestNanoTime(t, body)
		tp.Vitals = len(otlpVitalIDPattern.FindAll(body, -1))
	case strings.HasPrefix(c.Scenario, "vitals"):
	default:
		t.Fatalf("%s: scenario %s has no template format", c.File, c.Scenario)
	}
	return tp
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

// latestNanoTime is the latest UnixNano time of an OTLP JSON body.
func latestNanoTime(t testing.TB, body []byte) time.Time {
	var latest int64
	for _, m := range nanoTimePattern.FindAll(body, -1) {
		ns, err := strconv.ParseInt(string(m[len(`UnixNano":"`):len(m)-1]), 10, 64)
		require.NoError(t, err)
		latest = max(latest, ns)
	}
	require.Positive(t, latest, "an OTLP capture has times")
	return time.Unix(0, latest).UTC()
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
	return tp.RenderSession(ids, session, nil, now)
}

// RenderSession is Render with every trace id of the body replaced by traces(id), when
// traces is not nil: a replayed scenario's sessions then have trace ids of their own,
// and one mapping for all the requests of a session keeps its spans, navigations and
// vitals on the same traces.
func (tp *Template) RenderSession(ids *IDs, session string, traces func(string) string, now time.Time) *Request {
	r := &Request{Template: tp, SessionID: session, header: http.Header{}}
	r.header.Set("Content-Type", tp.contentType)
	if tp.origin != "" {
		r.header.Set("Origin", tp.origin)
	}
	if tp.apiKey != "" {
		r.header.Set("X-Api-Key", tp.apiKey)
	}
	body := vitalIDPattern.ReplaceAllFunc(tp.body, func([]byte) []byte {
		id := ids.measurement()
		r.VitalIDs = append(r.VitalIDs, id)
		return []byte(`"id":"` + id + `"`)
	})
	if traces != nil {
		body = traceIDPattern.ReplaceAllFunc(body, func(id []byte) []byte { return []byte(traces(string(id))) })
	}
	query := tp.query
	switch tp.Format {
	case FormatOTLPJSON:
		body = otlpVitalIDPattern.ReplaceAllFunc(body, func([]byte) []byte {
			id := ids.measurement()
			r.VitalIDs = append(r.VitalIDs, id)
			return []byte(`"browser.web_vital.id","value":{"stringValue":"` + id + `"}`)
		})
		body = bytes.ReplaceAll(body, tp.session, []byte(strconv.Quote(session)))
		body = shiftTimes(body, now.Sub(tp.latest))
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
