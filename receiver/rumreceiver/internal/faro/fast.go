// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

import (
	"cmp"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/pdata/ptrace"

	jf "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/otlpjson"
)

//go:generate go run ./internal/fastgen

// The fast decoder reads the types of types.go without reflection. The readers of the
// structs (their keys, and the reader of each field's type) are generated from types.go
// into fast_gen.go, so that they know exactly the keys encoding/json knows. This file holds
// the entry point and the hand-written readers that the generated ones call: lists,
// pointers, and the types with an UnmarshalJSON of their own, each mirroring it.

// decodeFast reads a payload in one pass. It returns ok=false for anything it does not
// decode exactly as encoding/json would, and Decode then takes the encoding/json path,
// which also produces the precise error messages.
func decodeFast(body []byte) (t typed, ok bool) {
	it := jf.Borrow(body)
	defer jf.Return(it)
	if jf.Kind(it) != jf.ObjectValue {
		return t, false
	}
	readTyped(it, &t)
	return t, jf.Done(it)
}

// readItems reads a list of T as encoding/json reads a []T: null is nil, [] is empty.
// The first items go into room for itemsAtFirst, which covers most lists of a batch in
// one allocation instead of one per doubling from a single item.
func readItems[T any](it *jf.Iter, read func(*jf.Iter, *T)) []T {
	if jf.IsNull(it) {
		return nil
	}
	out := make([]T, 0, itemsAtFirst)
	jf.Array(it, func() {
		// Read in place: an item read into a local that the reader keeps would be copied
		// and allocated twice.
		var zero T
		out = append(out, zero)
		read(it, &out[len(out)-1])
	})
	return out
}

// itemsAtFirst is the room a list starts with.
const itemsAtFirst = 4

// readPtr reads a *T as encoding/json does for a fresh field: null is nil.
func readPtr[T any](it *jf.Iter, read func(*jf.Iter, *T)) *T {
	if jf.IsNull(it) {
		return nil
	}
	v := new(T)
	read(it, v)
	return v
}

// readFloatMap reads a name → number object, as encoding/json reads a map[string]float64.
func readFloatMap(it *jf.Iter) map[string]float64 {
	if jf.IsNull(it) {
		return nil
	}
	values := map[string]float64{}
	jf.Object(it, nil, func(name string) { values[name] = jf.Float(it) })
	return values
}

// readBrands mirrors Brands.UnmarshalJSON.
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
		var e brandEntry
		readBrandEntry(it, &e)
		out = append(out, e.text())
	})
	return out
}

// readAttrs mirrors Attrs.UnmarshalJSON: strings as they are, other values as their JSON
// text, the last of duplicate keys wins, sorted by key. The pairs are gathered on the
// stack; what is sorted is their positions, not the pairs, because moving a pair moves
// two pointers and costs a GC write barrier each while a collection runs (which, at the
// receiver's allocation rate, is much of the time). The result is allocated once.
func readAttrs(it *jf.Iter) Attrs {
	if jf.IsNull(it) {
		return nil
	}
	var buf [attrsOnStack]Attr
	pairs := buf[:0]
	jf.Object(it, nil, func(key string) {
		var v string
		if jf.Kind(it) == jf.StringValue {
			v = jf.String(it)
		} else {
			v = jf.RawString(it)
		}
		pairs = append(pairs, Attr{Key: key, Value: v})
	})
	var orderBuf [attrsOnStack]int
	order := orderBuf[:0]
	for i := range pairs {
		order = append(order, i)
	}
	// Equal keys stay in input order, so the last of each run is the one that wins.
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(strings.Compare(pairs[a].Key, pairs[b].Key), cmp.Compare(a, b))
	})
	out := make(Attrs, 0, len(pairs))
	for j, i := range order {
		if j+1 < len(order) && pairs[order[j+1]].Key == pairs[i].Key {
			continue
		}
		out = append(out, pairs[i])
	}
	return out
}

// readTraces mirrors Traces.UnmarshalJSON, reading the spans straight into pdata where
// otlpjson takes them, and keeping the text for pdata's unmarshaler where it declines.
func readTraces(it *jf.Iter) Traces {
	var t Traces
	if jf.Try(it, func() { t.spans = otlpjson.Read(it, spanResourceRoom) }) {
		t.isRead = true
		return t
	}
	t.spans = ptrace.Traces{}
	t.Raw = jf.Raw(it)
	return t
}

// spanResourceRoom is the room a span resource gets for the attributes the receiver adds
// from the Faro resource where the SDK's lacks them: the browser's name and version, the
// session and user ids, the connection.
const spanResourceRoom = 5

// attrsOnStack covers the attributes of a Faro performance event (about 30).
const attrsOnStack = 48
