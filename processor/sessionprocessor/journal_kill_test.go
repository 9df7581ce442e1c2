// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// memExtension offers a memStorage as a storage extension.
type memExtension struct {
	component.StartFunc
	component.ShutdownFunc
	st *memStorage
}

func (m memExtension) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return m.st, nil
}

// restoredFrom is what a collector started on host would restore.
func restoredFrom(t *testing.T, host component.Host) []store.Record {
	t.Helper()
	return restoredWith(t, crashTestConfig(), host)
}

// restoredWith is what a collector with cfg started on host would restore.
func restoredWith(t *testing.T, cfg *Config, host component.Host) []store.Record {
	t.Helper()
	c, err := newSessionProcessor(cfg, processortest.NewNopSettings(NewFactory().Type()))
	require.NoError(t, err)
	require.NoError(t, c.openJournal(context.Background(), host))
	defer func() { require.NoError(t, c.journal.client.Close(context.Background())) }()
	return openRecords(c)
}

// pageViewsOf is the page views of the saved session key, -1 if it is not saved.
func pageViewsOf(recs []store.Record, key string) int {
	for _, r := range recs {
		if r.Key == key {
			return int(r.Views)
		}
	}
	return -1
}

// TestKillLosesAtMostACheckpoint runs the processor with its tickers at the default
// checkpoint_interval and, after each change, reads what a collector killed at that
// moment would restore, until it has the change. The delay is what a kill -9 loses; it
// is reported, and must stay within a generous deadline.
func TestKillLosesAtMostACheckpoint(t *testing.T) {
	st := newMemStorage()
	host := storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{storageID: memExtension{st: st}}}
	cfg := crashTestConfig()
	require.Equal(t, time.Second, cfg.CheckpointInterval, "the default")
	p := startPipeline(t, cfg, newFakeClock(), host)

	var worst time.Duration
	for pages := 1; pages <= 3; pages++ {
		p.sendLogs(sessionLogs("s1", logRecordSpec{event: "faro.performance.navigation", navID: fmt.Sprint("n", pages)}))
		sent := time.Now()
		for pageViewsOf(restoredFrom(t, host.withStorage(st.copyOf())), "s1") != pages {
			require.Less(t, time.Since(sent), 10*time.Second, "the change never reached storage")
			time.Sleep(10 * time.Millisecond)
		}
		worst = max(worst, time.Since(sent))
	}
	t.Logf("a change reached storage at most %v after it was made (checkpoint_interval %v)", worst, cfg.CheckpointInterval)
}

func (h storageHost) withStorage(st *memStorage) storageHost {
	return storageHost{Host: h.Host, extensions: map[component.ID]component.Component{storageID: memExtension{st: st}}}
}

// TestCrashWithFileStorage: the same with the real file_storage extension, whose file is
// copied while the collector runs, as a kill -9 leaves it. A copy taken during a write
// can be torn (the file is not copied atomically), so the test reads copies until one
// has the sessions.
func TestCrashWithFileStorage(t *testing.T) {
	dir := t.TempDir()
	host, stopStorage := startFileStorage(t, dir)
	cfg := crashTestConfig()
	cfg.CheckpointInterval = 100 * time.Millisecond
	p := startPipeline(t, cfg, newFakeClock(), host)
	t.Cleanup(stopStorage)
	for _, id := range []string{"a", "b", "c"} {
		p.sendLogs(sessionLogs(id, logRecordSpec{event: "faro.performance.navigation", navID: "n-" + id}))
	}
	sent := time.Now()
	for {
		crashed := t.TempDir()
		require.NoError(t, os.CopyFS(crashed, os.DirFS(dir)))
		copyHost, stopCopy := startFileStorage(t, crashed)
		recs := restoredFrom(t, copyHost)
		stopCopy()
		if pageViewsOf(recs, "a") == 1 && pageViewsOf(recs, "b") == 1 && pageViewsOf(recs, "c") == 1 {
			break
		}
		require.Less(t, time.Since(sent), 10*time.Second, "the sessions never reached storage")
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the sessions reached storage %v after they were sent (checkpoint_interval %v)", time.Since(sent), cfg.CheckpointInterval)
}
