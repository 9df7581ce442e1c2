package sessionprocessor

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"
)

// downstream stands for what follows the processor in the logs pipeline (batch, an
// exporter): once shut down it refuses data.
type downstream struct {
	consumertest.LogsSink
	closed atomic.Bool
}

func (d *downstream) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if d.closed.Load() {
		return errors.New("shut down")
	}
	return d.LogsSink.ConsumeLogs(ctx, ld)
}

// TestSessionEndsLeaveWhileTheLogsPipelineRuns shuts the pipelines down the way the
// collector does: the logs pipeline's processors, then what follows them, then the other
// pipelines. The session.end summaries must have left before the logs downstream closed.
func TestSessionEndsLeaveWhileTheLogsPipelineRuns(t *testing.T) {
	cfg := testConfig()
	set := processortest.NewNopSettings(NewFactory().Type())
	ctx := context.Background()
	logsNext := &downstream{}
	lp, err := NewFactory().CreateLogs(ctx, set, cfg, logsNext)
	require.NoError(t, err)
	tp, err := NewFactory().CreateTraces(ctx, set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	mp, err := NewFactory().CreateMetrics(ctx, set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	for _, c := range []component.Component{tp, lp, mp} {
		require.NoError(t, c.Start(ctx, componenttest.NewNopHost()))
	}
	require.NoError(t, lp.ConsumeLogs(ctx, sessionLogs("s1", logRecordSpec{event: "click"})))

	require.NoError(t, lp.Shutdown(ctx))
	logsNext.closed.Store(true)
	require.NoError(t, tp.Shutdown(ctx))
	require.NoError(t, mp.Shutdown(ctx))

	assert.Len(t, eventsNamed(&logsNext.LogsSink, eventSessionEnd), 1)
}
