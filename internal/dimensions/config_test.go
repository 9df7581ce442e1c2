// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package dimensions

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

type holder struct {
	Dimensions []Dimension `mapstructure:"dimensions"`
}

func TestUnmarshalTakesNamesAndMaps(t *testing.T) {
	var h holder
	require.NoError(t, confmap.NewFromStringMap(map[string]any{"dimensions": []any{
		"geo.country.iso_code",
		"network.connection.subtype",
		map[string]any{"name": "rum.device.type"},
		map[string]any{"name": "user_agent.name", "max_values": 7},
		map[string]any{"name": "os.name", "max_values": 0},
	}}).Unmarshal(&h))
	assert.Equal(t, []Dimension{
		{Name: "geo.country.iso_code", MaxValues: 250},
		{Name: "network.connection.subtype", MaxValues: DefaultMaxValues},
		{Name: "rum.device.type", MaxValues: 10},
		{Name: "user_agent.name", MaxValues: 7},
		{Name: "os.name", MaxValues: 0},
	}, h.Dimensions, "a name alone or a map without max_values gets the name's default; 0 stays, for Check to refuse")
}

func TestUnmarshalRefusesUnknownKeys(t *testing.T) {
	var h holder
	err := confmap.NewFromStringMap(map[string]any{"dimensions": []any{map[string]any{"name": "os.name", "max": 3}}}).Unmarshal(&h)
	assert.ErrorContains(t, err, "max")
}

func TestCheckNamesTheKey(t *testing.T) {
	assert.Empty(t, Check("dimensions", Defaults()))
	assert.Empty(t, Check("dimensions", nil), "no dimension at all is valid")
	errs := Check("dimensions", []Dimension{
		{Name: "os.name", MaxValues: 1}, {Name: "os.name", MaxValues: -1}, {MaxValues: 1}, {Name: "service.name", MaxValues: 1},
	})
	assert.EqualError(t, errors.Join(errs...), `invalid dimensions[1].name: "os.name" is listed twice
invalid dimensions[1].max_values: must be positive
invalid dimensions[2].name: must not be empty
invalid dimensions[3].name: "service.name" is a label the component writes itself`)
	many := make([]Dimension, Max+1)
	for i := range many {
		many[i] = Dimension{Name: string(rune('a' + i)), MaxValues: 1}
	}
	assert.EqualError(t, errors.Join(Check("dims", many)...), "invalid dims: at most 8 dimensions")
}
