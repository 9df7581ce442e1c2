// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package handover is the contract between the session processor and a checkpoint store
// that lets sessions move between collectors of a session tier when the partitions of
// the data topic move (rebalance, rolling deploy, scale-in, crash).
//
// The unit of ownership is a partition number of the data topics: a session's records
// (traces, logs and metrics, each signal on its own topic with the same partition count)
// are keyed by its session id, so they land on the same partition number of every topic,
// and the deployment makes one collector consume that number on every topic (one
// consumer group, range assignment, static member ids that sort alike). That collector
// owns the session. The store keeps, per data partition, the latest checkpoint of every open
// session of the partition and a marker that says who owns the partition and up to which
// data offset the checkpoints reflect the records (the watermark).
//
// The protocol, seen from one collector:
//   - The first record of a partition it does not own makes the processor Acquire it:
//     the store reads the partition's checkpoints and marker; if another collector still
//     owns it, the store asks that owner to let go and waits (bounded) for its release.
//     The processor restores the sessions and drops the records below the watermark,
//     which the previous owner already counted.
//   - Every checkpoint interval the processor Writes, per owned partition, the sessions
//     that changed, the keys of those that ended, and the watermark.
//   - When another collector asks for a partition (Requests), and at shutdown, the
//     processor writes the partition's sessions one last time, Releases it and forgets
//     its sessions without ending them.
//
// A collector that crashes never releases: the next owner waits out the bounded wait
// and continues from the last checkpoint written.
package handover // import "github.com/otelcol-rum/otelcol-rum/internal/handover"

import "context"

// Checkpoint is one session as saved: its key (the session processor's store key) and
// its encoded state. A nil Value says the session ended: its key is deleted.
type Checkpoint struct {
	Key   string
	Value []byte
}

// Claim is what a collector finds when it acquires a partition.
type Claim struct {
	// Sessions are the latest checkpoints of the partition's open sessions, ended ones
	// left out.
	Sessions []Checkpoint
	// Watermark is the highest first-offset-not-reflected the previous owner wrote, for
	// logs and telemetry; -1 when the partition was never owned. Kafka numbers offsets
	// per topic, and partition p of rum_traces, rum_logs and rum_metrics are three
	// sequences, so one number cannot say what was counted: the session processor keeps
	// its offsets per topic itself, as one more checkpoint under a key of its own, and
	// the store treats every key and value it is given as opaque.
	Watermark int64
	// Released is set when the previous owner let go of the partition (a graceful
	// hand-over); false after a crash (the wait ran out) or for a new partition.
	Released bool
	// PreviousOwner names the collector that owned the partition before, if any.
	PreviousOwner string
}

// Store keeps the checkpoints of the sessions of the partitions a collector owns. Its
// methods are safe for concurrent use, each call concerns one partition.
type Store interface {
	// Acquire makes this collector the owner of data partition p and returns the
	// partition's sessions. It returns once the previous owner released p or the store's
	// wait ran out; it fails only when the checkpoints cannot be read.
	Acquire(ctx context.Context, p int32) (Claim, error)
	// Write saves checkpoints of partition p and then its watermark, and returns once
	// they are durable.
	Write(ctx context.Context, p int32, sessions []Checkpoint, watermark int64) error
	// Release says this collector let go of partition p after its last Write.
	Release(ctx context.Context, p int32, watermark int64) error
	// Requests delivers the partitions this collector owns that another collector asked
	// for: the processor writes their sessions, Releases them and forgets them.
	Requests() <-chan int32
}

// Provider is implemented by the extension that offers a Store; the session processor
// finds it by its component ID.
type Provider interface {
	HandoverStore() Store
}
