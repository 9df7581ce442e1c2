package webvitalsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"

import (
	"context"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/aggregate"
	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/route"
)

// Names of what the processor reads (the rum receiver's normalized output, DESIGN §3).
const (
	measurementPrefix = "browser.web_vital."
	measurementSuffix = ".measurement"
	eventWebVital     = "browser.web_vital"
	// eventFaroNavigation carries the navigation timing of a page view.
	eventFaroNavigation = "faro.performance.navigation"
	attrNavigationID    = "rum.navigation.id"

	attrService     = "service.name"
	attrEnvironment = "deployment.environment.name"
	attrBrowser     = "browser.name"
	attrMobile      = "browser.mobile"
	attrURLFull     = "url.full"
	attrRoute       = "url.template"
	attrVitalName   = "browser.web_vital.name"
	attrVitalValue  = "browser.web_vital.value"
	attrVitalID     = "browser.web_vital.id"
	attrVitalRating = "browser.web_vital.rating"

	scopeName = "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"
)

// core is the state of one processor ID, shared by its pipelines so that logs and metrics
// see the same routes.
type core struct {
	cfg       *Config
	set       processor.Settings
	telemetry *metadata.TelemetryBuilder
	now       func() time.Time
	routes    *route.Templater

	mu  sync.Mutex // guards agg
	agg *aggregate.Aggregator
	// reported are the aggregator's counts already added to the telemetry.
	reported aggregate.Stats

	nextMu      sync.RWMutex
	nextMetrics consumer.Metrics

	stop      chan struct{}
	wg        sync.WaitGroup
	flushOnce sync.Once
}

func newCore(cfg *Config, set processor.Settings) (*core, error) {
	routes, err := route.NewTemplater(cfg.Routes, cfg.MaxRoutesPerService, cfg.OverflowRoute)
	if err != nil {
		return nil, err
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	c := &core{cfg: cfg, set: set, telemetry: tb, now: time.Now, routes: routes, stop: make(chan struct{})}
	c.agg = aggregate.New(aggregate.Settings{
		Hold:          cfg.MeasurementHold,
		MaxPending:    cfg.MaxPending,
		SeriesTTL:     cfg.SeriesTTL,
		Remember:      cfg.RememberFor,
		MaxRemembered: cfg.MaxRemembered,
	}, func(d aggregate.Dims) { routes.Forget(d.Service, d.Route) })
	return c, nil
}

func (c *core) setMetricsConsumer(next consumer.Metrics) {
	c.nextMu.Lock()
	defer c.nextMu.Unlock()
	c.nextMetrics = next
}

// Start starts the emission ticker.
func (c *core) Start(context.Context, component.Host) error {
	if err := c.telemetry.RegisterProcessorWebvitalsSeriesCallback(func(_ context.Context, o metric.Int64Observer) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		o.Observe(int64(c.agg.SeriesCount()))
		return nil
	}); err != nil {
		return err
	}
	c.wg.Go(c.run)
	return nil
}

func (c *core) run() {
	tick := time.NewTicker(c.cfg.EmitInterval)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			c.emit(context.Background(), false)
		}
	}
}

// emit counts what is due (everything when flushing) and sends the histograms on.
func (c *core) emit(ctx context.Context, flush bool) {
	now := c.now().UnixNano()
	c.mu.Lock()
	c.agg.Commit(now, flush)
	md := c.agg.Export(now, scopeName, c.set.BuildInfo.Version)
	stats := c.agg.Stats()
	c.mu.Unlock()
	c.report(ctx, stats)
	if md.DataPointCount() == 0 {
		return
	}
	c.nextMu.RLock()
	next := c.nextMetrics
	c.nextMu.RUnlock()
	if next == nil {
		return
	}
	if err := next.ConsumeMetrics(ctx, md); err != nil {
		// The histograms are cumulative: the next emission carries these counts again.
		c.set.Logger.Warn("web vitals histograms refused by the metrics pipeline; they go out again at the next interval", zap.Error(err))
	}
}

// report adds the aggregator's new counts to the self-telemetry.
func (c *core) report(ctx context.Context, s aggregate.Stats) {
	prev := c.reported
	c.reported = s
	t := c.telemetry
	for outcome, n := range map[string]int64{
		"counted":   s.Counted - prev.Counted,
		"update":    s.Updates - prev.Updates,
		"duplicate": s.Duplicates - prev.Duplicates,
		"unknown":   s.Unknown - prev.Unknown,
	} {
		if n > 0 {
			t.ProcessorWebvitalsMeasurements.Add(ctx, n, metric.WithAttributes(attribute.String("outcome", outcome)))
		}
	}
	if n := s.Expired - prev.Expired; n > 0 {
		t.ProcessorWebvitalsSeriesExpired.Add(ctx, n)
	}
}

// Flush counts every pending measurement and sends the histograms while the metrics
// pipeline still runs, when its instance of this processor shuts down.
func (c *core) Flush(ctx context.Context) {
	c.flushOnce.Do(func() {
		close(c.stop)
		c.wg.Wait()
		c.emit(ctx, true)
	})
}

// Shutdown runs when the last pipeline sharing this state shuts down.
func (c *core) Shutdown(ctx context.Context) error {
	c.Flush(ctx)
	c.telemetry.Shutdown()
	return nil
}

// processMetrics takes the per-measurement points into the aggregation and, unless
// keep_measurements is set, drops them: the histograms replace them.
func (c *core) processMetrics(_ context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	now := c.now().UnixNano()
	c.mu.Lock()
	md.ResourceMetrics().RemoveIf(func(rm pmetric.ResourceMetrics) bool {
		base := c.baseDims(rm.Resource().Attributes())
		rm.ScopeMetrics().RemoveIf(func(sm pmetric.ScopeMetrics) bool {
			sm.Metrics().RemoveIf(func(m pmetric.Metric) bool {
				vital, ok := measurementVital(m)
				if !ok {
					return false
				}
				for _, dp := range m.Gauge().DataPoints().All() {
					c.agg.Add(c.measurement(vital, dp, base), now)
				}
				return !c.cfg.KeepMeasurements
			})
			return sm.Metrics().Len() == 0
		})
		return rm.ScopeMetrics().Len() == 0
	})
	c.mu.Unlock()
	if md.ResourceMetrics().Len() == 0 {
		return md, processorhelper.ErrSkipProcessingData
	}
	return md, nil
}

// measurementVital recognises the rum receiver's per-measurement gauges.
func measurementVital(m pmetric.Metric) (string, bool) {
	name := m.Name()
	if m.Type() != pmetric.MetricTypeGauge || !strings.HasPrefix(name, measurementPrefix) || !strings.HasSuffix(name, measurementSuffix) {
		return "", false
	}
	return name[len(measurementPrefix) : len(name)-len(measurementSuffix)], true
}

func (c *core) baseDims(res pcommon.Map) aggregate.Dims {
	d := aggregate.Dims{Service: pattrs.Str(res, attrService), Environment: pattrs.Str(res, attrEnvironment), Browser: pattrs.Str(res, attrBrowser)}
	if v, ok := res.Get(attrMobile); ok && v.Type() == pcommon.ValueTypeBool {
		d.Mobile = "false"
		if v.Bool() {
			d.Mobile = "true"
		}
	}
	return d
}

func (c *core) measurement(vital string, dp pmetric.NumberDataPoint, base aggregate.Dims) aggregate.Measurement {
	attrs := dp.Attributes()
	m := aggregate.Measurement{
		Vital:  vital,
		ID:     pattrs.Str(attrs, attrVitalID),
		Rating: pattrs.Str(attrs, attrVitalRating),
		Dims:   base,
		Time:   int64(dp.Timestamp()),
	}
	if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
		m.Value = float64(dp.IntValue())
	} else {
		m.Value = dp.DoubleValue()
	}
	m.Dims.Route = c.routes.Template(base.Service, pattrs.Str(attrs, attrURLFull))
	if dp.Exemplars().Len() > 0 {
		ex := dp.Exemplars().At(0)
		m.TraceID, m.SpanID = ex.TraceID(), ex.SpanID()
	}
	return m
}

// processLogs annotates web-vital records with the route and the rating, so that log
// backends see the same labels as the metrics, and takes the page load timings of
// navigation events into their histograms.
func (c *core) processLogs(_ context.Context, ld plog.Logs) (plog.Logs, error) {
	now := c.now().UnixNano()
	for _, rl := range ld.ResourceLogs().All() {
		base := c.baseDims(rl.Resource().Attributes())
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				switch lr.EventName() {
				case eventWebVital:
					c.annotate(lr.Attributes(), base.Service)
				case eventFaroNavigation:
					c.addPageLoad(lr, base, now)
				}
			}
		}
	}
	return ld, nil
}

// faroTimings maps Faro's navigation timing attributes (milliseconds, as strings) to the
// page load histograms.
var faroTimings = []struct{ attr, timing string }{
	{"duration", "duration"},
	{"dnsLookupTime", "dns"},
	{"tcpHandshakeTime", "connect"},
	{"tlsNegotiationTime", "tls"},
	{"ttfb", "ttfb"},
	{"responseTime", "response"},
	{"domProcessingTime", "processing"},
}

// addPageLoad counts a navigation's timings, linked to the navigation's trace. The
// navigation id keeps a resent event from being counted twice.
func (c *core) addPageLoad(lr plog.LogRecord, base aggregate.Dims, now int64) {
	attrs := lr.Attributes()
	dims := base
	dims.Route = c.routes.Template(base.Service, pattrs.Str(attrs, attrURLFull))
	navID := pattrs.Str(attrs, attrNavigationID)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range faroTimings {
		value, err := strconv.ParseFloat(pattrs.Str(attrs, t.attr), 64)
		if err != nil || value < 0 || math.IsInf(value, 0) || math.IsNaN(value) {
			continue
		}
		m := aggregate.Measurement{
			Vital: aggregate.PageLoadPrefix + t.timing, Value: value, Dims: dims,
			Time: int64(lr.Timestamp()), TraceID: lr.TraceID(), SpanID: lr.SpanID(),
		}
		if navID != "" {
			m.ID = navID + "/" + t.timing
		}
		c.agg.Add(m, now)
	}
}

func (c *core) annotate(attrs pcommon.Map, service string) {
	if _, ok := attrs.Get(attrRoute); !ok {
		attrs.PutStr(attrRoute, c.routes.Template(service, pattrs.Str(attrs, attrURLFull)))
	}
	if _, ok := attrs.Get(attrVitalRating); ok {
		return
	}
	v, known := aggregate.Vitals[pattrs.Str(attrs, attrVitalName)]
	value, hasValue := attrs.Get(attrVitalValue)
	if known && hasValue && value.Type() == pcommon.ValueTypeDouble {
		attrs.PutStr(attrVitalRating, v.Rate(value.Double()))
	}
}
