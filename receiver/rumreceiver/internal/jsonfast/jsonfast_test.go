package jsonfast

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidNumberMatchesEncodingJSON(t *testing.T) {
	for _, n := range []string{"0", "-0", "1", "12", "1.5", "-1.5e10", "1E+2", "0.0", "00", "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x1", "1_0", "Infinity", "NaN", ""} {
		assert.Equal(t, json.Valid([]byte(n)), validNumber(n), n)
	}
}

func FuzzValidNumber(f *testing.F) {
	for _, n := range []string{"0", "-1.5e10", "00", "1."} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if strings.TrimSpace(n) != n {
			return // the iterator never hands over white space with a number
		}
		if validNumber(n) != json.Valid([]byte(n)) {
			// json.Valid also accepts other values ("true", strings); only numbers matter.
			var v any
			if json.Unmarshal([]byte(n), &v) == nil {
				if _, isNum := v.(float64); !isNum {
					return
				}
			}
			t.Fatalf("validNumber(%q) = %v, encoding/json disagrees", n, validNumber(n))
		}
	})
}
