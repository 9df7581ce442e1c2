// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package configtest // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/configtest"

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/confmap/xconfmap"
)

var (
	// optionRow is a row of the option table: | `key` | `default` | meaning |. The key of
	// an option of a nested block is its path with dots: `block.key`.
	optionRow = regexp.MustCompile("(?m)^\\| `([a-z_.]+)` \\| `([^`]*)` \\|")
	// yamlBlock is the example that follows the table.
	yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")
)

// AssertREADMEOptions checks the Configuration section of the package's README.md against
// the component's Config: its option table lists every key, and no other, with the
// default createDefaultConfig sets; its YAML example sets every option under
// kind::type (processors::webvitals, connectors::webvitals) and is valid. The options of
// a nested block are listed each by its dotted path (sourcemaps.cache.ttl).
func AssertREADMEOptions(t *testing.T, kind string, typ component.Type, newConfig func() component.Config) {
	t.Helper()
	raw, err := os.ReadFile("README.md")
	require.NoError(t, err)
	section := configurationSection(t, string(raw))

	documented := map[string]string{}
	for _, row := range optionRow.FindAllStringSubmatch(section, -1) {
		documented[row[1]] = row[2]
	}
	conf := confmap.New()
	require.NoError(t, conf.Marshal(newConfig()))
	defaults := flatten("", conf.ToStringMap(), map[string]any{})
	options := slices.Sorted(maps.Keys(defaults))
	assert.Equal(t, options, slices.Sorted(maps.Keys(documented)), "the README's option table")
	for key, value := range defaults {
		if doc, ok := documented[key]; ok {
			assert.True(t, sameDefault(value, doc), "the README says %s defaults to %q, the code %v", key, doc, value)
		}
	}

	example := yamlBlock.FindStringSubmatch(section)
	require.NotNil(t, example, "the Configuration section has a YAML example")
	file := filepath.Join(t.TempDir(), "example.yaml")
	require.NoError(t, os.WriteFile(file, []byte(example[1]), 0o600))
	cm, err := confmaptest.LoadConf(file)
	require.NoError(t, err)
	sub, err := cm.Sub(kind + confmap.KeyDelimiter + typ.String())
	require.NoError(t, err)
	cfg := newConfig()
	require.NoError(t, sub.Unmarshal(cfg), "the README's example")
	require.NoError(t, xconfmap.Validate(cfg), "the README's example")
	set := map[string]bool{}
	for key := range flatten("", sub.ToStringMap(), map[string]any{}) {
		set[optionOf(key, defaults)] = true
	}
	assert.Equal(t, options, slices.Sorted(maps.Keys(set)), "the options the README's example sets")
}

// optionOf returns the option an example's key sets: the key itself, or the block it is
// in when that block is off by default (a configoptional block marshals to nil, so its
// options are one row of the table and the example may set any of them).
func optionOf(key string, defaults map[string]any) string {
	for option, value := range defaults {
		if value == nil && strings.HasPrefix(key, option+".") {
			return option
		}
	}
	return key
}

// flatten adds the leaves of m to out under their dotted paths: the options of a nested
// block are documented one by one.
func flatten(prefix string, m map[string]any, out map[string]any) map[string]any {
	for k, v := range m {
		if nested, ok := v.(map[string]any); ok && len(nested) > 0 {
			flatten(prefix+k+".", nested, out)
			continue
		}
		out[prefix+k] = v
	}
	return out
}

// configurationSection returns the README from "## Configuration" to the next section.
func configurationSection(t *testing.T, readme string) string {
	t.Helper()
	_, section, found := strings.Cut(readme, "\n## Configuration\n")
	require.True(t, found, "the README has a Configuration section")
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// redacted is how a configopaque.String marshals.
const redacted = "[REDACTED]"

// sameDefault says whether doc, as the README writes it (15s, 1h, [], "", none, a YAML
// flow list such as [{name: os.name, max_values: 50}]), is value.
func sameDefault(value any, doc string) bool {
	switch {
	case value == nil:
		// An optional block off by default (configoptional.None).
		return doc == "none"
	case value == redacted:
		// configopaque writes every value so, the empty default too.
		return doc == `""`
	case doc == `""`:
		return value == ""
	}
	if list, ok := value.([]any); ok && len(list) > 0 {
		return sameList(list, doc)
	}
	// A "|" in a table cell is written "\|", code spans included.
	doc = strings.ReplaceAll(doc, `\|`, "|")
	if d, ok := value.(time.Duration); ok {
		parsed, err := time.ParseDuration(doc)
		return err == nil && parsed == d
	}
	return fmt.Sprint(value) == doc
}

// sameList says whether doc, a YAML flow list, holds the elements of list.
func sameList(list []any, doc string) bool {
	retrieved, err := confmap.NewRetrievedFromYAML([]byte("value: " + doc))
	if err != nil {
		return false
	}
	conf, err := retrieved.AsConf()
	if err != nil {
		return false
	}
	// fmt prints maps with sorted keys, so equal lists print alike.
	return fmt.Sprint(conf.Get("value")) == fmt.Sprint(list)
}
