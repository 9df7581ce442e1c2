// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
)

// partitionReader reads one checkpoint partition in offset order, for one Acquire.
type partitionReader struct {
	cl *kgo.Client
	p  int32
	// next is the offset after the last record read.
	next int64
}

func newPartitionReader(opts []kgo.Opt, topic string, p int32, from int64) (*partitionReader, error) {
	opts = append(opts[:len(opts):len(opts)], followOptions()...)
	cl, err := kgo.NewClient(append(opts,
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {p: kgo.NewOffset().At(from)}}))...)
	if err != nil {
		return nil, fmt.Errorf("checkpoint reader: %w", err)
	}
	return &partitionReader{cl: cl, p: p, next: from}, nil
}

// read passes the records to apply until the reader reaches end (when end >= 0), or,
// with end < 0, until apply returns true for a record. It returns ctx's error when ctx
// ends first. Every record of a poll is applied, so none is lost to the next read.
func (r *partitionReader) read(ctx context.Context, end int64, apply func(*kgo.Record) bool) error {
	for {
		if end >= 0 && r.next >= end {
			return nil
		}
		fetches := r.cl.PollFetches(ctx)
		stop := false
		fetches.EachRecord(func(rec *kgo.Record) {
			if rec.Partition != r.p || rec.Offset < r.next {
				return
			}
			r.next = rec.Offset + 1
			if apply(rec) {
				stop = true
			}
		})
		if stop && end < 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var fetchErr error
		fetches.EachError(func(_ string, _ int32, err error) {
			if fetchErr == nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				fetchErr = err
			}
		})
		if fetchErr != nil {
			return fmt.Errorf("read checkpoint partition %d: %w", r.p, fetchErr)
		}
	}
}

func (r *partitionReader) close() { r.cl.Close() }
