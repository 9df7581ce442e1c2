package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

import (
	"slices"
	"strings"

	jf "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"
)

// The JSON keys of each type, as the struct tags in types.go name them. jsonfast refuses
// a key that matches one of these only case-insensitively, so encoding/json decides it.
var (
	payloadKeys     = []string{"meta", "logs", "exceptions", "measurements", "events", "traces"}
	metaKeys        = []string{"sdk", "app", "user", "session", "page", "browser", "view"}
	sdkKeys         = []string{"name", "version"}
	appKeys         = []string{"name", "namespace", "version", "environment", "bundleId"}
	userKeys        = []string{"id", "email", "username", "fullName", "roles", "hash", "attributes"}
	idAttrKeys      = []string{"id", "attributes"}
	pageKeys        = []string{"id", "url", "attributes"}
	browserKeys     = []string{"name", "version", "os", "mobile", "userAgent", "language", "brands"}
	brandKeys       = []string{"brand", "version"}
	viewKeys        = []string{"name"}
	traceKeys       = []string{"trace_id", "span_id"}
	actionKeys      = []string{"id", "name", "parentId"}
	logKeys         = append([]string{"message", "level", "context"}, baseKeys...)
	exceptionKeys   = append([]string{"type", "value", "stacktrace", "context"}, baseKeys...)
	stacktraceKeys  = []string{"frames"}
	frameKeys       = []string{"filename", "function", "lineno", "colno"}
	measurementKeys = append([]string{"type", "values", "context"}, baseKeys...)
	eventKeys       = append([]string{"name", "domain", "attributes"}, baseKeys...)
)

// decodeFast reads a payload in one pass without reflection. It returns ok=false for
// anything it does not decode exactly as encoding/json would, and Decode then takes the
// encoding/json path, which also produces the precise error messages.
func decodeFast(body []byte) (t typed, ok bool) {
	it := jf.Borrow(body)
	defer jf.Return(it)
	if jf.Kind(it) != jf.ObjectValue {
		return t, false
	}
	jf.Object(it, payloadKeys, func(key string) {
		switch key {
		case "meta":
			readMeta(it, &t.Meta)
		case "logs":
			t.Logs = readItems(it, readLog)
		case "exceptions":
			t.Exceptions = readItems(it, readException)
		case "measurements":
			t.Measurements = readItems(it, readMeasurement)
		case "events":
			t.Events = readItems(it, readEvent)
		case "traces":
			t.Traces = jf.Raw(it)
		}
	})
	return t, jf.Done(it)
}

func readItems[T any](it *jf.Iter, read func(*jf.Iter, *T)) []T {
	if jf.IsNull(it) {
		return nil
	}
	out := []T{}
	jf.Array(it, func() {
		var item T
		read(it, &item)
		out = append(out, item)
	})
	return out
}

func readMeta(it *jf.Iter, m *Meta) {
	jf.Object(it, metaKeys, func(key string) {
		switch key {
		case "sdk":
			jf.Object(it, sdkKeys, func(k string) {
				if k == "name" {
					m.SDK.Name = jf.String(it)
				} else {
					m.SDK.Version = jf.String(it)
				}
			})
		case "app":
			a := &m.App
			jf.Object(it, appKeys, func(k string) {
				switch k {
				case "name":
					a.Name = jf.String(it)
				case "namespace":
					a.Namespace = jf.String(it)
				case "version":
					a.Version = jf.String(it)
				case "environment":
					a.Environment = jf.String(it)
				case "bundleId":
					a.BundleID = jf.String(it)
				}
			})
		case "user":
			u := &m.User
			jf.Object(it, userKeys, func(k string) {
				switch k {
				case "attributes":
					u.Attributes = readAttrs(it)
				case "id":
					u.ID = jf.String(it)
				case "email":
					u.Email = jf.String(it)
				case "username":
					u.Username = jf.String(it)
				case "fullName":
					u.FullName = jf.String(it)
				case "roles":
					u.Roles = jf.String(it)
				case "hash":
					u.Hash = jf.String(it)
				}
			})
		case "session":
			jf.Object(it, idAttrKeys, func(k string) {
				if k == "attributes" {
					m.Session.Attributes = readAttrs(it)
				} else {
					m.Session.ID = jf.String(it)
				}
			})
		case "page":
			p := &m.Page
			jf.Object(it, pageKeys, func(k string) {
				switch k {
				case "attributes":
					p.Attributes = readAttrs(it)
				case "id":
					p.ID = jf.String(it)
				case "url":
					p.URL = jf.String(it)
				}
			})
		case "browser":
			readBrowser(it, &m.Browser)
		case "view":
			jf.Object(it, viewKeys, func(string) { m.View.Name = jf.String(it) })
		}
	})
}

func readBrowser(it *jf.Iter, b *Browser) {
	jf.Object(it, browserKeys, func(k string) {
		switch k {
		case "mobile":
			b.Mobile = jf.Bool(it)
		case "brands":
			b.Brands = readBrands(it)
		case "name":
			b.Name = jf.String(it)
		case "version":
			b.Version = jf.String(it)
		case "os":
			b.OS = jf.String(it)
		case "userAgent":
			b.UserAgent = jf.String(it)
		case "language":
			b.Language = jf.String(it)
		}
	})
}

func readBrands(it *jf.Iter) Brands {
	switch jf.Kind(it) {
	case jf.NilValue:
		jf.IsNull(it)
		return nil
	case jf.StringValue:
		s := jf.String(it)
		if noBrands(s) {
			return nil
		}
		return Brands{s}
	}
	out := Brands{}
	jf.Array(it, func() {
		var name, version string
		jf.Object(it, brandKeys, func(k string) {
			if k == "brand" {
				name = jf.String(it)
			} else {
				version = jf.String(it)
			}
		})
		out = append(out, brandEntry{Brand: name, Version: version}.text())
	})
	return out
}

// readAttrs mirrors Attrs.UnmarshalJSON: strings as they are, other values as their JSON
// text, the last of duplicate keys wins, sorted by key.
func readAttrs(it *jf.Iter) Attrs {
	if jf.IsNull(it) {
		return nil
	}
	out := Attrs{}
	jf.Object(it, nil, func(key string) {
		var v string
		if jf.Kind(it) == jf.StringValue {
			v = jf.String(it)
		} else {
			v = string(jf.Raw(it))
		}
		out = append(out, Attr{Key: key, Value: v})
	})
	// Stable sort keeps input order among equal keys; keep the last of each run.
	slices.SortStableFunc(out, func(a, b Attr) int { return strings.Compare(a.Key, b.Key) })
	dedup := out[:0]
	for i, kv := range out {
		if i+1 < len(out) && out[i+1].Key == kv.Key {
			continue
		}
		dedup = append(dedup, kv)
	}
	return dedup
}

func readTrace(it *jf.Iter) *TraceContext {
	if jf.IsNull(it) {
		return nil
	}
	tc := &TraceContext{}
	jf.Object(it, traceKeys, func(k string) {
		if k == "trace_id" {
			tc.TraceID = jf.String(it)
		} else {
			tc.SpanID = jf.String(it)
		}
	})
	return tc
}

func readAction(it *jf.Iter) *Action {
	if jf.IsNull(it) {
		return nil
	}
	a := &Action{}
	jf.Object(it, actionKeys, func(k string) {
		switch k {
		case "id":
			a.ID = jf.String(it)
		case "name":
			a.Name = jf.String(it)
		case "parentId":
			a.ParentID = jf.String(it)
		}
	})
	return a
}

// baseKeys are the fields of ItemBase.
var baseKeys = []string{"timestamp", "trace", "action"}

// readBase reads key into b if it is one of the ItemBase fields.
func readBase(it *jf.Iter, key string, b *ItemBase) bool {
	switch key {
	case "timestamp":
		b.Timestamp = jf.String(it)
	case "trace":
		b.Trace = readTrace(it)
	case "action":
		b.Action = readAction(it)
	default:
		return false
	}
	return true
}

func readLog(it *jf.Iter, l *Log) {
	jf.Object(it, logKeys, func(k string) {
		switch {
		case readBase(it, k, &l.ItemBase):
		case k == "context":
			l.Context = readAttrs(it)
		case k == "message":
			l.Message = jf.String(it)
		case k == "level":
			l.Level = jf.String(it)
		}
	})
}

func readException(it *jf.Iter, e *Exception) {
	jf.Object(it, exceptionKeys, func(k string) {
		switch {
		case readBase(it, k, &e.ItemBase):
		case k == "stacktrace":
			e.Stacktrace = readStacktrace(it)
		case k == "context":
			e.Context = readAttrs(it)
		case k == "type":
			e.Type = jf.String(it)
		case k == "value":
			e.Value = jf.String(it)
		}
	})
}

func readStacktrace(it *jf.Iter) *Stacktrace {
	if jf.IsNull(it) {
		return nil
	}
	st := &Stacktrace{}
	jf.Object(it, stacktraceKeys, func(string) {
		st.Frames = readItems(it, readFrame)
	})
	return st
}

func readFrame(it *jf.Iter, f *Frame) {
	jf.Object(it, frameKeys, func(k string) {
		switch k {
		case "lineno":
			f.Lineno = jf.Int(it)
		case "colno":
			f.Colno = jf.Int(it)
		case "filename":
			f.Filename = jf.String(it)
		case "function":
			f.Function = jf.String(it)
		}
	})
}

func readMeasurement(it *jf.Iter, m *Measurement) {
	jf.Object(it, measurementKeys, func(k string) {
		switch {
		case readBase(it, k, &m.ItemBase):
		case k == "values":
			m.Values = readValues(it)
		case k == "context":
			m.Context = readAttrs(it)
		case k == "type":
			m.Type = jf.String(it)
		}
	})
}

// readValues reads a measurement's name → number map.
func readValues(it *jf.Iter) map[string]float64 {
	if jf.IsNull(it) {
		return nil
	}
	values := map[string]float64{}
	jf.Object(it, nil, func(name string) { values[name] = jf.Float(it) })
	return values
}

func readEvent(it *jf.Iter, e *Event) {
	jf.Object(it, eventKeys, func(k string) {
		switch {
		case readBase(it, k, &e.ItemBase):
		case k == "attributes":
			e.Attributes = readAttrs(it)
		case k == "name":
			e.Name = jf.String(it)
		case k == "domain":
			e.Domain = jf.String(it)
		}
	})
}
