// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
	"go.uber.org/zap"
)

// clientOptions are the options every client of the extension shares: where the brokers
// are and how to reach them. The producer and the readers add their own.
func clientOptions(ctx context.Context, cfg *Config, logger *zap.Logger) ([]kgo.Opt, error) {
	opts := []kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ClientID(cfg.ClientID),
		kgo.WithLogger(kgoLogger{logger}),
	}
	if tlsCfg := cfg.TLS.Get(); tlsCfg != nil {
		tc, err := tlsCfg.LoadTLSConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("tls: %w", err)
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	switch s := cfg.SASL; s.Mechanism {
	case saslPlain:
		opts = append(opts, kgo.SASL(plain.Auth{User: s.Username, Pass: string(s.Password)}.AsMechanism()))
	case saslSCRAMSHA256:
		opts = append(opts, kgo.SASL(scram.Auth{User: s.Username, Pass: string(s.Password)}.AsSha256Mechanism()))
	case saslSCRAMSHA512:
		opts = append(opts, kgo.SASL(scram.Auth{User: s.Username, Pass: string(s.Password)}.AsSha512Mechanism()))
	}
	return opts, nil
}

// producerOptions make the producer write a Write's records durably and in order: acks
// from all in-sync replicas and an idempotent producer (franz-go's defaults, spelled out
// because the protocol depends on them), and each record to the partition it names.
func producerOptions(cfg *Config) []kgo.Opt {
	return []kgo.Opt{
		kgo.DefaultProduceTopic(cfg.Topic),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.RecordDeliveryTimeout(cfg.Timeout),
		kgo.ProducerLinger(0),
	}
}

// followOptions are those of the clients that read the checkpoint topic: Acquire's
// readers and the tail. A fetch waits at most this long for records; a partition the tail
// starts following joins the next fetch, so this bounds how late a request is seen.
func followOptions() []kgo.Opt {
	return []kgo.Opt{kgo.FetchMaxWait(fetchMaxWait)}
}

// fetchMaxWait: franz-go's default, 5s, would add up to a third of the default
// handover_wait to a hand-over.
const fetchMaxWait = 250 * time.Millisecond

// kgoLogger passes franz-go's warnings and errors to the collector's logger; its info
// and debug lines are per connection and per request, too many for a collector's log.
type kgoLogger struct{ l *zap.Logger }

func (kgoLogger) Level() kgo.LogLevel { return kgo.LogLevelWarn }

func (k kgoLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	fields := make([]zap.Field, 0, len(keyvals)/2)
	for i := 0; i+1 < len(keyvals); i += 2 {
		fields = append(fields, zap.Any(fmt.Sprint(keyvals[i]), keyvals[i+1]))
	}
	if level == kgo.LogLevelError {
		k.l.Error(msg, fields...)
		return
	}
	k.l.Warn(msg, fields...)
}
