// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package otlpjson // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/otlpjson"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	jf "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"
)

var (
	keysKeyValue = []string{"key", "value", "keyStrindex", "key_strindex", ""}
	keysAnyValue = []string{
		"stringValue", "boolValue", "intValue", "arrayValue",
		"doubleValue", "kvlistValue", "bytesValue", "stringValueStrindex",
		"string_value", "bool_value", "int_value", "double_value", "array_value",
		"kvlist_value", "bytes_value", "string_value_strindex", "",
	}
	keysArrayValue = []string{"values", ""}
)

// value is an attribute value as read, before it goes into its map: a key/value pair
// may name its value first, so the pair is read whole before it is put.
type value struct {
	kind pcommon.ValueType
	str  string
	num  int64
	b    bool
	arr  []value
}

type keyValue struct {
	key string
	val value
}

// attrsOnStack covers the attributes of a browser span's resource (about 16).
const attrsOnStack = 32

// readAttributes reads a list of key/value pairs into m, sized once, with room for room
// more. pdata keeps a repeated key twice, which a pcommon.Map cannot: a repeat declines.
func readAttributes(it *jf.Iter, m pcommon.Map, room int) {
	var buf [attrsOnStack]keyValue
	pairs := buf[:0]
	jf.Array(it, func() {
		var kv keyValue
		readKeyValue(it, &kv)
		pairs = append(pairs, kv)
	})
	if jf.Failed(it) {
		return
	}
	m.EnsureCapacity(m.Len() + len(pairs) + room)
	for i := range pairs {
		before := m.Len()
		put(m, &pairs[i])
		if m.Len() == before {
			jf.Decline(it)
			return
		}
	}
}

func readKeyValue(it *jf.Iter, kv *keyValue) {
	hasValue := false
	jf.Object(it, keysKeyValue, func(key string) {
		switch key {
		case "key":
			kv.key = text(it)
		case "value":
			hasValue = true
			readValue(it, &kv.val)
		default:
			jf.Decline(it)
		}
	})
	if !hasValue {
		jf.Decline(it)
	}
}

// readValue reads an AnyValue that holds exactly one value of the kinds browsers send.
// pdata keeps the last of several and an empty value for none; both decline here, as do
// doubles (jsoniter parses some decimals its own way), maps, bytes and string indexes.
func readValue(it *jf.Iter, v *value) {
	n := 0
	jf.Object(it, keysAnyValue, func(key string) {
		n++
		switch key {
		case "stringValue":
			v.kind, v.str = pcommon.ValueTypeStr, text(it)
		case "boolValue":
			v.kind = pcommon.ValueTypeBool
			if b := jf.Bool(it); b != nil {
				v.b = *b
			} else {
				jf.Decline(it)
			}
		case "intValue":
			v.kind, v.num = pcommon.ValueTypeInt, signed(it, 64, maxIntDigits, true)
		case "arrayValue":
			v.kind = pcommon.ValueTypeSlice
			readArrayValue(it, v)
		default:
			jf.Decline(it)
		}
	})
	if n != 1 {
		jf.Decline(it)
	}
}

func readArrayValue(it *jf.Iter, v *value) {
	jf.Object(it, keysArrayValue, func(key string) {
		if key != "values" {
			jf.Decline(it)
			return
		}
		jf.Array(it, func() {
			v.arr = append(v.arr, value{})
			readValue(it, &v.arr[len(v.arr)-1])
		})
	})
}

func put(m pcommon.Map, kv *keyValue) {
	switch v := &kv.val; v.kind {
	case pcommon.ValueTypeStr:
		m.PutStr(kv.key, v.str)
	case pcommon.ValueTypeBool:
		m.PutBool(kv.key, v.b)
	case pcommon.ValueTypeInt:
		m.PutInt(kv.key, v.num)
	default:
		setSlice(m.PutEmptySlice(kv.key), v.arr)
	}
}

func setSlice(s pcommon.Slice, values []value) {
	s.EnsureCapacity(len(values))
	for i := range values {
		dst := s.AppendEmpty()
		switch v := &values[i]; v.kind {
		case pcommon.ValueTypeStr:
			dst.SetStr(v.str)
		case pcommon.ValueTypeBool:
			dst.SetBool(v.b)
		case pcommon.ValueTypeInt:
			dst.SetInt(v.num)
		default:
			setSlice(dst.SetEmptySlice(), v.arr)
		}
	}
}
