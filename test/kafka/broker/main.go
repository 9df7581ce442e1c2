// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Command broker runs an in-memory Kafka broker (franz-go's kfake) as a process of its own,
// for the Kafka tests of the two-tier deployment. No Kafka installs on the test machines, and
// the collectors must reach the broker over the Kafka protocol exactly as they would a real
// cluster, so the fake lives behind a socket rather than inside the test binary.
//
// It prints "broker ready <addr>" once it listens, so a test can wait for that line instead
// of polling the port, and it exits cleanly on SIGTERM or SIGINT.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

const (
	defaultAddr       = "127.0.0.1:19092"
	defaultPartitions = 4
)

// options are the parsed command line.
type options struct {
	port            int
	topics          []string
	partitions      int
	cleanerInterval time.Duration
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "broker:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}

	// One broker is enough: the tests exercise partitioning and consumer groups, which do
	// not depend on how many brokers hold the partitions.
	kopts := []kfake.Opt{
		kfake.Ports(opts.port),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(opts.partitions),
	}
	if len(opts.topics) > 0 {
		kopts = append(kopts, kfake.SeedTopics(int32(opts.partitions), opts.topics...))
	}
	if opts.cleanerInterval > 0 {
		// kfake compacts cleanup.policy=compact topics on this timer only (default one
		// hour), so a test of compacted checkpoints needs it short to see compaction at all.
		kopts = append(kopts, kfake.BrokerConfigs(map[string]string{
			"log.cleaner.backoff.ms": strconv.FormatInt(opts.cleanerInterval.Milliseconds(), 10),
		}))
	}

	// Subscribe before listening so a signal sent right after the ready line is not lost.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(sigs)

	cluster, err := kfake.NewCluster(kopts...)
	if err != nil {
		return fmt.Errorf("start kfake: %w", err)
	}
	defer cluster.Close()

	addrs := cluster.ListenAddrs()
	if len(addrs) != 1 {
		return fmt.Errorf("expected one listener, kfake reports %v", addrs)
	}
	fmt.Fprintln(stdout, "broker ready", addrs[0])

	sig := <-sigs
	fmt.Fprintln(stderr, "broker: stopping on", sig)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("broker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", defaultAddr, "listen address, loopback only (port 0 picks a free port)")
	topics := fs.String("topics", "", "comma-separated topics to create at start, each with -partitions partitions")
	partitions := fs.Int("partitions", defaultPartitions, "partitions of pre-created and auto-created topics")
	cleaner := fs.Duration("cleaner-interval", 0, "how often compacted topics are compacted (0 keeps kfake's one hour)")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	port, err := loopbackPort(*addr)
	if err != nil {
		return options{}, err
	}
	if *partitions < 1 {
		return options{}, errors.New("invalid -partitions: must be at least 1")
	}
	if *cleaner < 0 {
		return options{}, errors.New("invalid -cleaner-interval: must not be negative")
	}
	var names []string
	for name := range strings.SplitSeq(*topics, ",") {
		if name = strings.TrimSpace(name); name != "" {
			names = append(names, name)
		}
	}
	return options{port: port, topics: names, partitions: *partitions, cleanerInterval: *cleaner}, nil
}

// loopbackPort returns the port of addr and refuses any host but 127.0.0.1: kfake always
// binds 127.0.0.1, and the tests must never open a broker to the network.
func loopbackPort(addr string) (int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, fmt.Errorf("invalid -addr %q: %w", addr, err)
	}
	if host != "127.0.0.1" && host != "localhost" {
		return 0, fmt.Errorf("invalid -addr %q: host must be 127.0.0.1", addr)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return 0, fmt.Errorf("invalid -addr %q: bad port", addr)
	}
	return port, nil
}
