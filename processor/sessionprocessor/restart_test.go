// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// storageHost offers one file_storage extension to the processor.
type storageHost struct {
	component.Host
	extensions map[component.ID]component.Component
}

func (h storageHost) GetExtensions() map[component.ID]component.Component { return h.extensions }

var storageID = component.MustNewID("file_storage")

// startFileStorage runs the real file_storage extension over dir.
func startFileStorage(t *testing.T, dir string) (storageHost, func()) {
	f := filestorage.NewFactory()
	cfg := f.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory = dir
	ext, err := f.Create(context.Background(), extensiontest.NewNopSettings(f.Type()), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	host := storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{storageID: ext}}
	return host, func() { require.NoError(t, ext.Shutdown(context.Background())) }
}

// TestRestartContinuesSessions runs a real Faro session across a collector restart: the
// first page view before, the second after. The session is not split: one start, one end,
// and the end counts both pages.
func TestRestartContinuesSessions(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	faro := sdkcaptures.Load(t).Of(t, "faro")
	// The second page view starts with faro-06; faro-05 is the first page's flush on hide.
	half := slices.IndexFunc(faro, func(c sdkcaptures.Capture) bool { return c.File == "faro-06-collect.json" })
	require.Positive(t, half)

	cfg := testConfig()
	cfg.Storage = &storageID
	host, stopStorage := startFileStorage(t, dir)
	first := startPipeline(t, cfg, clock, host)
	url := startReceiver(t, first)
	for _, c := range faro[:half] {
		require.Less(t, sdkcaptures.Post(t, url, c).StatusCode, 300)
		clock.Advance(time.Second)
	}
	require.Len(t, first.events("session.start"), 1)
	first.stop()
	stopStorage()
	assert.Empty(t, first.events("session.end"), "with storage, shutdown saves sessions instead of ending them")

	clock.Advance(30 * time.Second) // the restart
	cfg2 := testConfig()
	cfg2.Storage = &storageID
	host2, stopStorage2 := startFileStorage(t, dir)
	defer stopStorage2()
	second := startPipeline(t, cfg2, clock, host2)
	url2 := startReceiver(t, second)
	for _, c := range faro[half:] {
		require.Less(t, sdkcaptures.Post(t, url2, c).StatusCode, 300)
		clock.Advance(time.Second)
	}
	assert.Empty(t, second.events("session.start"), "the restored session continues")
	second.expireAfter(16 * time.Minute)
	ends := second.events("session.end")
	require.Len(t, ends, 1)
	a := ends[0].Attributes()
	assert.Equal(t, int64(2), attr(t, a, "session.page_views").Int(), "both pages, before and after the restart")
	assert.Equal(t, "timeout", attr(t, a, "session.end_reason").Str())
	assert.Greater(t, attr(t, a, "session.duration").Double(), 30.0, "the duration spans the restart")

	// The vitals after the restart still joined the navigation of their page.
	vitals := second.events("browser.web_vital")
	require.NotEmpty(t, vitals)
	for _, lr := range vitals {
		assert.False(t, lr.TraceID().IsEmpty())
	}
}
