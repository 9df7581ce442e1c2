// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Store finds, parses and caches source maps. It is safe for concurrent use; Close ends
// the loads in flight.
type Store struct {
	cfg     Config
	obs     Observer
	logger  *zap.Logger
	once    *onceLogger
	client  *http.Client
	baseURL *url.URL  // nil when not configured
	allowed allowList // origins downloads may contact
	now     func() time.Time

	// ctx outlives every caller: a load goes on when the Get that started it gives up,
	// so that its result serves the next error. Close cancels it.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	maps     *lru[*Map]
	failures *lru[Reason]
	loading  map[Key]*load // at most cfg.MaxConcurrentLoads
	closed   bool
}

// load is one load of a map in flight, shared by every Get of its key.
type load struct {
	done   chan struct{} // closed when m or reason is set
	m      *Map
	reason Reason
}

// NewStore returns a Store for a valid cfg. client, if not nil, is the HTTP client for
// base_url and downloads (its transport, TLS and proxy settings are kept; its redirect
// policy is replaced by one that stays on the first request's origin); nil uses a
// default one.
func NewStore(cfg Config, obs Observer, logger *zap.Logger, client *http.Client) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	allowed, err := newAllowList(cfg.Download.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	if obs == nil {
		obs = NopObserver{}
	}
	s := &Store{
		cfg:      cfg,
		obs:      obs,
		logger:   logger,
		once:     newOnceLogger(logger),
		client:   newHTTPClient(client),
		allowed:  allowed,
		now:      time.Now,
		maps:     newLRU(cfg.Cache.MaxBytes, cfg.Cache.TTL, (*Map).Weight),
		failures: newLRU(int64(cfg.Cache.NegativeMaxEntries), cfg.Cache.NegativeTTL, func(Reason) int64 { return 1 }),
		loading:  map[Key]*load{},
	}
	if cfg.BaseURL != "" {
		if s.baseURL, err = url.Parse(cfg.BaseURL); err != nil {
			return nil, err
		}
	}
	if cfg.Directory != "" {
		if _, err := os.Stat(cfg.Directory); err != nil {
			// Not fatal: a deploy step may create it later; every lookup tries it.
			logger.Warn("source map directory not readable yet", zap.String("directory", cfg.Directory), zap.Error(err))
		}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Close cancels the loads in flight and waits for them to end. Get after Close finds
// only what is cached.
func (s *Store) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

// Get returns the map of k. On a miss it starts a load, or joins the one in flight for k,
// and waits for it until ctx is done at the latest (StatusTimeout); the load goes on and
// fills the cache for later calls.
func (s *Store) Get(ctx context.Context, k Key) (*Map, Status) {
	m, st, l := s.lookup(k)
	if l == nil {
		return m, st
	}
	return l.wait(ctx)
}

// lookup answers k from the caches, or returns the load of k in flight, starting it if
// there is none.
func (s *Store) lookup(k Key) (*Map, Status, *load) {
	u, err := k.scriptURL()
	if err != nil {
		s.obs.LoadFailed(ReasonRefused)
		return nil, StatusRefused, nil
	}
	now := s.now()
	var (
		m       *Map
		hit     bool
		reason  Reason
		failed  bool
		l       *load
		started bool
		sized   change
	)
	s.mu.Lock()
	m, hit, sized = s.maps.get(k, now)
	if !hit {
		reason, failed, _ = s.failures.get(k, now)
	}
	if !hit && !failed {
		l = s.loading[k]
		if l == nil && !s.closed && len(s.loading) < s.cfg.MaxConcurrentLoads {
			l = &load{done: make(chan struct{})}
			s.loading[k] = l
			s.wg.Add(1)
			started = true
		}
	}
	s.mu.Unlock()

	s.reportSize(sized)
	switch {
	case hit:
		s.obs.CacheLookup(OutcomeHit)
		return m, StatusOK, nil
	case failed:
		s.obs.CacheLookup(OutcomeNegativeHit)
		return nil, reason.status(), nil
	}
	s.obs.CacheLookup(OutcomeMiss)
	if l == nil {
		s.obs.LoadFailed(ReasonBusy)
		return nil, ReasonBusy.status(), nil
	}
	if started {
		go s.run(k, u, l)
	}
	return nil, StatusTimeout, l
}

// wait returns the result of l, or StatusTimeout when ctx is done first.
func (l *load) wait(ctx context.Context) (*Map, Status) {
	select {
	case <-l.done:
	case <-ctx.Done():
		select {
		case <-l.done: // finished at the same moment: use it
		default:
			return nil, StatusTimeout
		}
	}
	if l.m != nil {
		return l.m, StatusOK
	}
	return nil, l.reason.status()
}

// run loads the map of k, caches the outcome, reports it and wakes the waiters: they
// wake last, so that what they see of the telemetry includes their load.
func (s *Store) run(k Key, u *url.URL, l *load) {
	defer s.wg.Done()
	defer close(l.done)
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.FetchTimeout)
	defer cancel()
	m, source, reason, err := s.loadMap(ctx, k, u)

	now := s.now()
	var sized change
	s.mu.Lock()
	delete(s.loading, k)
	if m != nil {
		sized = s.maps.put(k, m, now)
		s.failures.drop(k)
	} else if s.ctx.Err() == nil { // a load cut short by Close says nothing of the map
		s.failures.put(k, reason, now)
	}
	l.m, l.reason = m, reason
	s.mu.Unlock()

	s.reportSize(sized)
	switch {
	case m != nil:
		s.obs.MapLoaded(source)
		return
	case s.ctx.Err() != nil:
		return // cut short by Close: not a failure of the map
	}
	s.obs.LoadFailed(reason)
	if reason != ReasonNotFound && !errors.Is(err, errKeyRefused) {
		s.once.log(k, "source map not usable", zap.String("reason", string(reason)), zap.Error(err))
	}
}

// loadMap finds and parses the map of k.
func (s *Store) loadMap(ctx context.Context, k Key, u *url.URL) (*Map, Source, Reason, error) {
	f, reason, err := s.find(ctx, k, u)
	if reason != "" {
		return nil, "", reason, err
	}
	m, err := parseMap(f.mapURL, f.body)
	if err != nil {
		return nil, "", ReasonInvalid, err
	}
	if m.weight > s.cfg.Cache.MaxBytes {
		return nil, "", ReasonTooLarge, fmt.Errorf("%w: parsed, it would take about %d bytes, more than cache.max_bytes", errTooLarge, m.weight)
	}
	return m, f.source, "", nil
}

// reportDamage counts and logs, once per map, a map found to be damaged at lookup.
func (s *Store) reportDamage(k Key, m *Map) {
	if m.outOfRange.Load() && m.damageReported.CompareAndSwap(false, true) {
		s.obs.LoadFailed(ReasonInvalid)
		s.once.log(k, "source map not usable", zap.String("reason", string(ReasonInvalid)),
			zap.Error(errors.New("a mapping points outside the map's sources")))
	}
}

func (s *Store) reportSize(c change) {
	if c != (change{}) {
		s.obs.CacheChanged(c.weight, c.entries)
	}
}
