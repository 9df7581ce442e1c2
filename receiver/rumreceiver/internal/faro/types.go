// Package faro decodes the JSON payload that the Grafana Faro web SDK posts to /collect.
package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

import "encoding/json"

// Payload is one Faro request body. Items are kept per kind; traces stay raw OTLP/JSON
// because pdata decodes them best.
type Payload struct {
	Meta         Meta
	Logs         []Log
	Exceptions   []Exception
	Measurements []Measurement
	Events       []Event
	Traces       json.RawMessage
	// Rejected describes the items that could not be decoded, one line each.
	Rejected []string
}

// Meta describes the app, session, user, page and browser the items came from.
type Meta struct {
	SDK     SDK     `json:"sdk"`
	App     App     `json:"app"`
	User    User    `json:"user"`
	Session Session `json:"session"`
	Page    Page    `json:"page"`
	Browser Browser `json:"browser"`
	View    View    `json:"view"`
}

// SDK is meta.sdk: the Faro SDK that sent the payload.
type SDK struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// App is meta.app: the instrumented application.
type App struct {
	Name        string `json:"name"`
	Namespace   string `json:"namespace"`
	Version     string `json:"version"`
	Environment string `json:"environment"`
	BundleID    string `json:"bundleId"`
}

// User is meta.user: the signed-in user, as the application reported it.
type User struct {
	ID         string `json:"id"`
	Email      string `json:"email"`
	Username   string `json:"username"`
	FullName   string `json:"fullName"`
	Roles      string `json:"roles"`
	Hash       string `json:"hash"`
	Attributes Attrs  `json:"attributes"`
}

// Session is meta.session: the Faro session the items belong to.
type Session struct {
	ID         string `json:"id"`
	Attributes Attrs  `json:"attributes"`
}

// Page is meta.page: the page the items came from.
type Page struct {
	ID         string `json:"id"`
	URL        string `json:"url"`
	Attributes Attrs  `json:"attributes"`
}

// Browser is meta.browser: the browser as the SDK detected it.
type Browser struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	OS        string `json:"os"`
	Mobile    *bool  `json:"mobile"`
	UserAgent string `json:"userAgent"`
	Language  string `json:"language"`
	Brands    Brands `json:"brands"`
}

// View is meta.view: the view of a single-page application.
type View struct {
	Name string `json:"name"`
}

// TraceContext is the trace an item belongs to, hex encoded.
type TraceContext struct {
	TraceID string `json:"trace_id"`
	SpanID  string `json:"span_id"`
}

// Action is the user action an item happened in (Faro 2 user-action instrumentation).
type Action struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	ParentID string `json:"parentId"`
}

// ItemBase is what every item carries besides its own fields. encoding/json promotes the
// fields of an embedded struct, so the wire shape is unchanged.
type ItemBase struct {
	Timestamp string        `json:"timestamp"`
	Trace     *TraceContext `json:"trace"`
	Action    *Action       `json:"action"`

	// Parsed is filled by validation from Timestamp and Trace.
	Parsed Parsed `json:"-"`
}

// Log is one item of logs.
type Log struct {
	Message string `json:"message"`
	Level   string `json:"level"`
	Context Attrs  `json:"context"`
	ItemBase
}

// Exception is one item of exceptions.
type Exception struct {
	Type       string      `json:"type"`
	Value      string      `json:"value"`
	Stacktrace *Stacktrace `json:"stacktrace"`
	Context    Attrs       `json:"context"`
	ItemBase
}

// Stacktrace is the stack of an exception, as the SDK parsed it.
type Stacktrace struct {
	Frames []Frame `json:"frames"`
}

// Frame is one frame of a stacktrace.
type Frame struct {
	Filename string `json:"filename"`
	Function string `json:"function"`
	Lineno   int64  `json:"lineno"`
	Colno    int64  `json:"colno"`
}

// Measurement is one item of measurements: named values of one type (e.g. web-vitals).
type Measurement struct {
	Type    string             `json:"type"`
	Values  map[string]float64 `json:"values"`
	Context Attrs              `json:"context"`
	ItemBase
}

// Event is one item of events.
type Event struct {
	Name       string `json:"name"`
	Domain     string `json:"domain"`
	Attributes Attrs  `json:"attributes"`
	ItemBase
}
