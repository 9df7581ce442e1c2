// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"maps"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// checkpointTopic is the hand-over protocol in memory, as the checkpoint topic holds it:
// per data partition the latest checkpoint of every key (a nil value deletes it), and
// the latest ownership: who claimed the partition, with which watermark, and whether it
// let go. Collectors reach it through a checkpointClient each, as each reaches Kafka.
type checkpointTopic struct {
	// wait bounds how long an Acquire waits for the owner's release.
	wait time.Duration

	// gate, when set, holds every Acquire until it is closed.
	gate chan struct{}

	mu      sync.Mutex
	parts   map[int32]*checkpointPartition
	clients map[string]*checkpointClient
	// changed is closed and replaced at every release, for the waiting Acquires.
	changed chan struct{}
	// writes counts the Writes that reached the topic, by partition; acquires and
	// releases the Acquires and Releases.
	writes, acquires, releases map[int32]int
}

type checkpointPartition struct {
	checkpoints map[string][]byte
	owner       string
	released    bool
	watermark   int64
}

func newCheckpointTopic(wait time.Duration) *checkpointTopic {
	return &checkpointTopic{wait: wait, parts: map[int32]*checkpointPartition{}, clients: map[string]*checkpointClient{},
		changed: make(chan struct{}), writes: map[int32]int{}, acquires: map[int32]int{}, releases: map[int32]int{}}
}

// client connects a collector named owner.
func (ct *checkpointTopic) client(owner string) *checkpointClient {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	c := &checkpointClient{topic: ct, owner: owner, requests: make(chan int32, 64)}
	ct.clients[owner] = c
	return c
}

// partition returns the state of p; ct.mu is held.
func (ct *checkpointTopic) partition(p int32) *checkpointPartition {
	cp := ct.parts[p]
	if cp == nil {
		cp = &checkpointPartition{checkpoints: map[string][]byte{}, watermark: -1}
		ct.parts[p] = cp
	}
	return cp
}

// saved is a copy of the checkpoints of p.
func (ct *checkpointTopic) saved(p int32) map[string][]byte {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return maps.Clone(ct.partition(p).checkpoints)
}

// counts are how many Writes, Acquires and Releases of p reached the topic.
func (ct *checkpointTopic) counts(p int32) (writes, acquires, releases int) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return ct.writes[p], ct.acquires[p], ct.releases[p]
}

// checkpointClient is one collector's handover.Store. After crash, nothing it does
// reaches the topic any more and it answers no request, as a killed process; while
// unreachable is set, its Writes fail, as while the brokers are down.
type checkpointClient struct {
	topic    *checkpointTopic
	owner    string
	requests chan int32

	mu                   sync.Mutex
	crashed, unreachable bool
}

func (c *checkpointClient) setUnreachable(down bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unreachable = down
}

var _ handover.Store = (*checkpointClient)(nil)

func (c *checkpointClient) crash() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.crashed = true
}

func (c *checkpointClient) alive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.crashed
}

func (c *checkpointClient) Acquire(ctx context.Context, p int32) (handover.Claim, error) {
	if !c.alive() {
		return handover.Claim{}, errCrashed
	}
	ct := c.topic
	if ct.gate != nil {
		<-ct.gate
	}
	deadline := time.After(ct.wait)
	asked := false
	for {
		ct.mu.Lock()
		cp := ct.partition(p)
		if cp.owner == "" || cp.owner == c.owner || cp.released {
			break // ct.mu stays held for the claim
		}
		owner, changed := ct.clients[cp.owner], ct.changed
		ct.mu.Unlock()
		if !asked && owner != nil {
			owner.requests <- p
			asked = true
		}
		timedOut := false
		select {
		case <-changed:
		case <-deadline:
			timedOut = true
		case <-ctx.Done():
			return handover.Claim{}, ctx.Err()
		}
		if timedOut { // a crashed owner: take its last checkpoints
			ct.mu.Lock()
			break
		}
	}
	defer ct.mu.Unlock()
	cp := ct.partition(p)
	claim := handover.Claim{Watermark: cp.watermark, Released: cp.released, PreviousOwner: cp.owner}
	if cp.owner == c.owner {
		claim.PreviousOwner = ""
	}
	for k, v := range cp.checkpoints {
		claim.Sessions = append(claim.Sessions, handover.Checkpoint{Key: k, Value: v})
	}
	cp.owner, cp.released = c.owner, false
	ct.acquires[p]++
	return claim, nil
}

func (c *checkpointClient) Write(_ context.Context, p int32, sessions []handover.Checkpoint, watermark int64) error {
	c.mu.Lock()
	fail := c.crashed || c.unreachable
	c.mu.Unlock()
	if fail {
		return errCrashed
	}
	ct := c.topic
	ct.mu.Lock()
	defer ct.mu.Unlock()
	cp := ct.partition(p)
	for _, s := range sessions {
		if s.Value == nil {
			delete(cp.checkpoints, s.Key)
		} else {
			cp.checkpoints[s.Key] = s.Value
		}
	}
	cp.watermark = watermark
	ct.writes[p]++
	return nil
}

func (c *checkpointClient) Release(_ context.Context, p int32, watermark int64) error {
	if !c.alive() {
		return errCrashed
	}
	ct := c.topic
	ct.mu.Lock()
	defer ct.mu.Unlock()
	cp := ct.partition(p)
	if cp.owner == c.owner {
		cp.released, cp.watermark = true, watermark
		ct.releases[p]++
		close(ct.changed)
		ct.changed = make(chan struct{})
	}
	return nil
}

func (c *checkpointClient) Requests() <-chan int32 { return c.requests }

// handoverExtension offers a checkpointClient as the kafka_handover extension would.
type handoverExtension struct {
	component.StartFunc
	component.ShutdownFunc
	store handover.Store
}

func (e *handoverExtension) HandoverStore() handover.Store { return e.store }

var handoverID = component.MustNewID("kafka_handover")

// handoverHost offers the extension to the processor.
func handoverHost(st handover.Store) storageHost {
	return storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{handoverID: &handoverExtension{store: st}}}
}
