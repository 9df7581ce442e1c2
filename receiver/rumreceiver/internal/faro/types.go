// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package faro decodes the JSON payload that the Grafana Faro web SDK posts to /collect.
package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

// The wire format: every struct type in this file is a JSON object of the Faro payload, and
// its json tags are the only list of its keys. encoding/json reads these types; the fast
// decoder's readers (fast_gen.go) are generated from this file by internal/fastgen, so after
// changing it run `go generate ./receiver/rumreceiver/internal/faro/` (a test fails until
// fast_gen.go matches). Keep types that are not part of the wire format out of this file.

// typed is the whole payload decoded in one pass, by decodeFast or by encoding/json.
type typed struct {
	Meta         Meta          `json:"meta"`
	Logs         []Log         `json:"logs"`
	Exceptions   []Exception   `json:"exceptions"`
	Measurements []Measurement `json:"measurements"`
	Events       []Event       `json:"events"`
	Traces       Traces        `json:"traces"`
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

// SDK names the Faro SDK that sent the payload.
type SDK struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// App is the web application, as configured in the SDK.
type App struct {
	Name        string `json:"name"`
	Namespace   string `json:"namespace"`
	Version     string `json:"version"`
	Environment string `json:"environment"`
	BundleID    string `json:"bundleId"`
}

// User is the signed-in user, where the app set one.
type User struct {
	ID         string `json:"id"`
	Email      string `json:"email"`
	Username   string `json:"username"`
	FullName   string `json:"fullName"`
	Roles      string `json:"roles"`
	Hash       string `json:"hash"`
	Attributes Attrs  `json:"attributes"`
}

// Session is the SDK's session: its id and the attributes the app gave it.
type Session struct {
	ID         string `json:"id"`
	Attributes Attrs  `json:"attributes"`
}

// Page is the page the items came from.
type Page struct {
	ID         string `json:"id"`
	URL        string `json:"url"`
	Attributes Attrs  `json:"attributes"`
}

// Browser is what the SDK knows of the browser: its name, OS, language and brands.
type Browser struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	OS        string `json:"os"`
	Mobile    *bool  `json:"mobile"`
	UserAgent string `json:"userAgent"`
	Language  string `json:"language"`
	Brands    Brands `json:"brands"`
}

// brandEntry is one element of the list form of Brands.
type brandEntry struct {
	Brand   string `json:"brand"`
	Version string `json:"version"`
}

// View is the app's own name for the current screen.
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

// Log is a console message the SDK captured or the app pushed.
type Log struct {
	Message string `json:"message"`
	Level   string `json:"level"`
	Context Attrs  `json:"context"`
	ItemBase
}

// Exception is an error: its type, message and stack.
type Exception struct {
	Type       string      `json:"type"`
	Value      string      `json:"value"`
	Stacktrace *Stacktrace `json:"stacktrace"`
	Context    Attrs       `json:"context"`
	ItemBase
}

// Stacktrace is an exception's stack, frame by frame as the SDK parsed it.
type Stacktrace struct {
	Frames []Frame `json:"frames"`
}

// Frame is one line of a stack: where the code was.
type Frame struct {
	Filename string `json:"filename"`
	Function string `json:"function"`
	Lineno   int64  `json:"lineno"`
	Colno    int64  `json:"colno"`
}

// Measurement is a set of named numbers of one type, such as the web vitals.
type Measurement struct {
	Type    string             `json:"type"`
	Values  map[string]float64 `json:"values"`
	Context Attrs              `json:"context"`
	ItemBase
}

// Event is a named event: a navigation, a resource, a user action, or the app's own.
type Event struct {
	Name       string `json:"name"`
	Domain     string `json:"domain"`
	Attributes Attrs  `json:"attributes"`
	ItemBase
}
