package pattrs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestPutRules(t *testing.T) {
	m := pcommon.NewMap()
	m.PutStr("kept", "original")
	PutNonEmpty(m, "empty", "")
	PutNonEmpty(m, "set", "v")
	PutIfAbsent(m, "kept", "other")
	PutIfAbsent(m, "added", "new")
	PutIfAbsent(m, "none", "")
	assert.Equal(t, map[string]any{"kept": "original", "set": "v", "added": "new"}, m.AsRaw())
}

func TestStr(t *testing.T) {
	m := pcommon.NewMap()
	m.PutStr("s", "v")
	m.PutInt("i", 42)
	assert.Equal(t, "v", Str(m, "s"))
	assert.Equal(t, "42", Str(m, "i"), "an id sent as a number still reads")
	assert.Empty(t, Str(m, "missing"))
}
