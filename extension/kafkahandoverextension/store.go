// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"
	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

var (
	errNotStarted = errors.New("kafka_handover: the extension has not started")
	errStopped    = errors.New("kafka_handover: the extension has shut down")
)

// store is the handover.Store on a Kafka checkpoint topic. One producer writes every
// partition's checkpoints and markers; each Acquire reads its partition with a client of
// its own; one tail client follows the owned partitions for markers of other collectors.
type store struct {
	cfg    *Config
	logger *zap.Logger
	tel    *telemetry
	// owner names this collector in its markers: host name and a random suffix per start,
	// so that a restarted collector does not take its predecessor's claim for its own.
	owner string

	// topicMu serializes the checks of the checkpoint topic; partitions is its partition
	// count once checked, 0 before.
	topicMu    sync.Mutex
	partitions int32

	mu       sync.Mutex
	state    storeState
	opts     []kgo.Opt // shared client options, set at start
	producer *kgo.Client
	tail     *kgo.Client
	owned    map[int32]*ownedPartition
	pending  []int32 // requested partitions not yet delivered on requests
	calls    sync.WaitGroup

	notify   chan struct{}
	requests chan int32
	ctx      context.Context
	cancel   context.CancelFunc
	workers  sync.WaitGroup
}

type storeState int

const (
	stateNew storeState = iota
	stateRunning
	stateStopped
)

// ownedPartition is what the tail needs to know of a partition this collector claimed.
type ownedPartition struct {
	// claimOffset is the offset of the claim Acquire wrote.
	claimOffset int64
	// tailFrom is the first offset Acquire did not read: requests from there on are for
	// this ownership.
	tailFrom int64
	// requested: the partition is queued for, or was delivered on, Requests.
	requested bool
	// lost: another collector claimed the partition after this one's claim, taking this
	// collector for crashed. Writes are refused and a release is not written.
	lost   bool
	lostTo string
}

var _ handover.Store = (*store)(nil)

func newStore(cfg *Config, logger *zap.Logger, tel *telemetry) *store {
	ctx, cancel := context.WithCancel(context.Background())
	return &store{
		cfg: cfg, logger: logger, tel: tel, owner: newOwnerID(),
		owned:  map[int32]*ownedPartition{},
		notify: make(chan struct{}, 1), requests: make(chan int32),
		ctx: ctx, cancel: cancel,
	}
}

func newOwnerID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	var suffix [8]byte
	_, _ = rand.Read(suffix[:]) // crypto/rand never fails on supported platforms
	return host + "/" + hex.EncodeToString(suffix[:])
}

// start creates the clients; none of them connects before it is used, so a broker that is
// down at start delays the first Acquire rather than failing the collector. The topic is
// checked (and created) in the background right away, so a misconfiguration shows in the
// log at start.
func (s *store) start(ctx context.Context) error {
	opts, err := clientOptions(ctx, s.cfg, s.logger)
	if err != nil {
		return err
	}
	producer, err := kgo.NewClient(append(opts[:len(opts):len(opts)], producerOptions(s.cfg)...)...)
	if err != nil {
		return fmt.Errorf("kafka_handover: producer: %w", err)
	}
	tail, err := kgo.NewClient(append(opts[:len(opts):len(opts)], followOptions()...)...)
	if err != nil {
		producer.Close()
		return fmt.Errorf("kafka_handover: tail: %w", err)
	}
	s.mu.Lock()
	s.opts, s.producer, s.tail, s.state = opts, producer, tail, stateRunning
	s.mu.Unlock()

	s.workers.Add(3)
	go func() { defer s.workers.Done(); s.followOwned() }()
	go func() { defer s.workers.Done(); s.deliverRequests() }()
	go func() { defer s.workers.Done(); s.prepareTopic() }()
	s.logger.Info("Kafka handover store started", zap.String("owner", s.owner), zap.String("topic", s.cfg.Topic))
	return nil
}

// shutdown stops the background work, waits for calls in flight (they see their context
// cancelled) and closes the clients. Partitions still owned are not released: the
// processor releases them at its own shutdown, before extensions stop.
func (s *store) shutdown() {
	s.mu.Lock()
	was := s.state
	s.state = stateStopped
	s.mu.Unlock()
	s.cancel()
	if was != stateRunning {
		return
	}
	s.calls.Wait()
	s.tail.Close()
	s.workers.Wait()
	s.producer.Close()
}

// enter registers a call, so that shutdown waits for it before closing the clients.
func (s *store) enter() (done func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case stateNew:
		return nil, errNotStarted
	case stateStopped:
		return nil, errStopped
	}
	s.calls.Add(1)
	return s.calls.Done, nil
}

// bind returns ctx cancelled as well when the store shuts down.
func (s *store) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}

func (s *store) prepareTopic() {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
	defer cancel()
	if err := s.checkPartition(ctx, 0); err != nil && s.ctx.Err() == nil {
		s.logger.Warn("Checkpoint topic not ready; Acquire will check it again", zap.String("topic", s.cfg.Topic), zap.Error(err))
	}
}

// checkPartition checks the checkpoint topic once, and again when p is beyond the
// partitions it had (the data topics may have grown), and says whether p has a
// checkpoint partition.
func (s *store) checkPartition(ctx context.Context, p int32) error {
	if p < 0 {
		return fmt.Errorf("kafka_handover: invalid partition %d", p)
	}
	s.topicMu.Lock()
	defer s.topicMu.Unlock()
	if p >= s.partitions {
		ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
		defer cancel()
		n, err := checkpointTopic(ctx, s.producer, s.cfg, s.logger)
		if err != nil {
			return fmt.Errorf("kafka_handover: %w", err)
		}
		s.partitions = n
	}
	if p >= s.partitions {
		return fmt.Errorf("kafka_handover: data partition %d has no checkpoint partition: topic %q has %d partitions, it needs at least as many as the data topics", p, s.cfg.Topic, s.partitions)
	}
	return s.awaitProducerPartition(ctx, p)
}

// awaitProducerPartition makes sure the producer can write to partition p. The producer
// keeps the partitions of the topic it learnt at its first record and refreshes them
// only every few minutes (franz-go's metadata max age); a partition added since (the
// topics grew) is refused as an invalid choice until then. So when p is beyond what the
// producer knows, it refreshes now and waits for it, at most timeout.
func (s *store) awaitProducerPartition(ctx context.Context, p int32) error {
	if leader, _, _ := s.producer.PartitionLeader(s.cfg.Topic, 0); leader < 0 {
		return nil // not loaded yet: the first record loads every partition
	}
	if leader, _, _ := s.producer.PartitionLeader(s.cfg.Topic, p); leader >= 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	s.producer.ForceMetadataRefresh()
	tick := time.NewTicker(producerRefreshPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("kafka_handover: the producer did not learn of partition %d of topic %q: %w", p, s.cfg.Topic, ctx.Err())
		case <-tick.C:
		}
		if leader, _, _ := s.producer.PartitionLeader(s.cfg.Topic, p); leader >= 0 {
			return nil
		}
	}
}

// producerRefreshPoll is how often awaitProducerPartition looks whether the refresh it
// asked for has landed (a metadata request: about a millisecond on a healthy cluster).
const producerRefreshPoll = 10 * time.Millisecond

// Write produces the checkpoints to partition p, then, once they are durable, a claim
// with the watermark.
func (s *store) Write(ctx context.Context, p int32, sessions []handover.Checkpoint, watermark int64) error {
	done, err := s.enter()
	if err != nil {
		return err
	}
	defer done()
	if err := s.checkOwned(p); err != nil {
		return err
	}
	ctx, cancel := s.bind(ctx)
	defer cancel()

	records := make([]*kgo.Record, 0, len(sessions))
	var live, ended, bytes, refused int
	for _, cp := range sessions {
		if strings.HasPrefix(cp.Key, marker.ReservedPrefix) {
			refused++
			continue
		}
		records = append(records, &kgo.Record{Key: []byte(cp.Key), Value: cp.Value, Partition: p})
		bytes += len(cp.Key) + len(cp.Value)
		if cp.Value == nil {
			ended++
		} else {
			live++
		}
	}
	if refused > 0 {
		s.tel.skipped(ctx, reasonReservedKey, refused)
		s.logger.Warn("Checkpoints refused: their keys start with the byte reserved for markers",
			zap.Int32("partition", p), zap.Int("checkpoints", refused))
	}
	if len(records) > 0 {
		if err := s.produce(ctx, records...); err != nil {
			return fmt.Errorf("kafka_handover: write checkpoints of partition %d: %w", p, err)
		}
		s.tel.checkpointsWritten(ctx, live, ended, bytes)
	}
	if _, err := s.produceMarker(ctx, p, marker.Claim, watermark); err != nil {
		return err
	}
	return nil
}

// Release produces the release marker of p and stops following it. A partition another
// collector took over gets no release: that collector owns it now.
func (s *store) Release(ctx context.Context, p int32, watermark int64) error {
	done, err := s.enter()
	if err != nil {
		return err
	}
	defer done()
	s.mu.Lock()
	own := s.owned[p]
	s.mu.Unlock()
	if own == nil {
		return fmt.Errorf("kafka_handover: partition %d is not acquired", p)
	}
	if !own.lost {
		ctx, cancel := s.bind(ctx)
		defer cancel()
		if _, err := s.produceMarker(ctx, p, marker.Release, watermark); err != nil {
			return err
		}
	}
	s.disown(p)
	s.logger.Debug("Partition released", zap.Int32("partition", p), zap.Int64("watermark", watermark), zap.Bool("lost", own.lost))
	return nil
}

// Requests delivers the owned partitions other collectors asked for, and those another
// collector took over.
func (s *store) Requests() <-chan int32 { return s.requests }

func (s *store) checkOwned(p int32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	own := s.owned[p]
	switch {
	case own == nil:
		return fmt.Errorf("kafka_handover: partition %d is not acquired", p)
	case own.lost:
		return fmt.Errorf("kafka_handover: partition %d was taken over by %s", p, own.lostTo)
	}
	return nil
}

// produceMarker writes a marker of kind k to partition p and returns its offset.
func (s *store) produceMarker(ctx context.Context, p int32, k marker.Kind, watermark int64) (int64, error) {
	value, err := marker.Marker{Kind: k, Owner: s.owner, Watermark: watermark}.Encode()
	if err != nil {
		return 0, fmt.Errorf("kafka_handover: %s marker of partition %d: %w", k, p, err)
	}
	rec := &kgo.Record{Key: []byte(k.Key()), Value: value, Partition: p}
	if err := s.produce(ctx, rec); err != nil {
		return 0, fmt.Errorf("kafka_handover: write %s marker of partition %d: %w", k, p, err)
	}
	s.tel.markerWritten(ctx, k)
	return rec.Offset, nil
}

// produce writes records and waits, for at most timeout, until the broker acknowledged
// them all. franz-go's idempotent producer never gives up a record it sent without an
// answer (failing it could break the partition's sequence), so a Write to a broker that
// went away mid-request would wait for its return; this returns the error instead and
// leaves the records to the producer, which delivers them in order if the broker comes
// back, or drops them when the extension shuts down.
func (s *store) produce(ctx context.Context, records ...*kgo.Record) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	acks := newAckCounter(len(records))
	for _, r := range records {
		s.producer.Produce(ctx, r, acks.done)
	}
	select {
	case <-acks.all:
		return acks.firstErr()
	case <-ctx.Done():
		return fmt.Errorf("not acknowledged within %s: %w", s.cfg.Timeout, ctx.Err())
	}
}
