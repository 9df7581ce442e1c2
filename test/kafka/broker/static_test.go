// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"
)

// The session tier's consumers are static members (group_instance_id) of one group with
// the range balancer, the way kafkareceiver configures franz-go. The hand-over of issue 15
// depends on three things the broker must get right, checked here over the protocol:
// range assigns a member the same partition numbers of every topic (members sort by
// instance id); a static member that closes sends no LeaveGroup, so its partitions move
// only when its session times out; and a member that comes back under its instance id
// gets its partitions back.

// kfake refuses session timeouts under its group.min.session.timeout.ms (6s by default).
const staticSessionTimeout = 6 * time.Second

// member is one consumer of the group, tracking what franz-go says it owns.
type member struct {
	client *kgo.Client
	mu     sync.Mutex
	owned  map[string][]int32
}

func (m *member) assignment() map[string][]int32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string][]int32{}
	for topic, ps := range m.owned {
		if len(ps) > 0 {
			out[topic] = slices.Sorted(slices.Values(ps))
		}
	}
	return out
}

func joinStatic(t *testing.T, addr, instance string, topics ...string) *member {
	t.Helper()
	m := &member{owned: map[string][]int32{}}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(addr),
		kgo.ConsumerGroup("rum-sessions"),
		kgo.ConsumeTopics(topics...),
		kgo.InstanceID(instance),
		kgo.Balancers(kgo.RangeBalancer()),
		kgo.SessionTimeout(staticSessionTimeout),
		kgo.HeartbeatInterval(500*time.Millisecond),
		kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, got map[string][]int32) {
			m.mu.Lock()
			defer m.mu.Unlock()
			for topic, ps := range got {
				m.owned[topic] = append(m.owned[topic], ps...)
			}
		}),
		kgo.OnPartitionsRevoked(func(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
			m.mu.Lock()
			defer m.mu.Unlock()
			for topic, ps := range lost {
				m.owned[topic] = slices.DeleteFunc(m.owned[topic], func(p int32) bool { return slices.Contains(ps, p) })
			}
		}),
	)
	require.NoError(t, err)
	m.client = cl
	// The group is joined from the poll loop; poll until the client is closed.
	go func() {
		for {
			if f := cl.PollFetches(context.Background()); f.IsClientClosed() {
				return
			}
		}
	}()
	t.Cleanup(cl.Close)
	return m
}

func TestBrokerStaticMembersWithRange(t *testing.T) {
	topics := []string{"rum_traces", "rum_logs"}
	addr := startBroker(t, "-topics", strings.Join(topics, ","), "-partitions", "4")

	// One client per signal and pod, as three kafka receivers of one collector are.
	podA := map[string]*member{}
	podB := map[string]*member{}
	for _, topic := range topics {
		signal := strings.TrimPrefix(topic, "rum_")
		podA[topic] = joinStatic(t, addr, "pod-a-"+signal, topic)
		podB[topic] = joinStatic(t, addr, "pod-b-"+signal, topic)
	}
	waitAssigned := func(what string, want map[*member]map[string][]int32) {
		t.Helper()
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			for m, w := range want {
				assert.Equal(c, w, m.assignment())
			}
		}, 3*staticSessionTimeout, 100*time.Millisecond, what)
	}

	both := map[*member]map[string][]int32{}
	for _, topic := range topics {
		both[podA[topic]] = map[string][]int32{topic: {0, 1}}
		both[podB[topic]] = map[string][]int32{topic: {2, 3}}
	}
	waitAssigned("pod-a owns partitions 0-1 and pod-b 2-3 of every topic", both)

	// pod-a stops: static members do not leave, so nothing moves until the session times
	// out; then pod-b owns everything.
	stopped := time.Now()
	for _, m := range podA {
		m.client.Close()
	}
	alone := map[*member]map[string][]int32{}
	for _, topic := range topics {
		alone[podB[topic]] = map[string][]int32{topic: {0, 1, 2, 3}}
	}
	waitAssigned("pod-b owns every partition once pod-a's session timed out", alone)
	took := time.Since(stopped)
	t.Logf("partitions moved %v after the static member closed", took)
	assert.GreaterOrEqual(t, took, staticSessionTimeout/2, "a closed static member's partitions move only at its session timeout")

	// pod-a comes back under the same instance ids and gets its partitions back.
	for _, topic := range topics {
		podA[topic] = joinStatic(t, addr, "pod-a-"+strings.TrimPrefix(topic, "rum_"), topic)
	}
	clear(both)
	for _, topic := range topics {
		both[podA[topic]] = map[string][]int32{topic: {0, 1}}
		both[podB[topic]] = map[string][]int32{topic: {2, 3}}
	}
	waitAssigned("pod-a owns 0-1 again after rejoining", both)
}
