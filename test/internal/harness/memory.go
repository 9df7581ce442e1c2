// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Memory is a process's resident memory as /proc/<pid>/status reports it, in bytes: RSS
// is the sum of the anonymous pages (heap, stacks), the file pages mapped in (the bbolt
// files of file_storage are mmapped) and shared memory.
type Memory struct {
	RSS, Anon, File int64
}

// String is the figures in MiB.
func (m Memory) String() string {
	return fmt.Sprintf("RSS %.1f MiB (anon %.1f, file %.1f)", mib(m.RSS), mib(m.Anon), mib(m.File))
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// ReadMemory reads the resident memory of process pid.
func ReadMemory(pid int) (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	var m Memory
	fields := map[string]*int64{"VmRSS:": &m.RSS, "RssAnon:": &m.Anon, "RssFile:": &m.File}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Fields(sc.Text())
		if len(parts) == 3 && parts[2] == "kB" {
			if dst, ok := fields[parts[0]]; ok {
				kb, err := strconv.ParseInt(parts[1], 10, 64)
				if err != nil {
					return Memory{}, err
				}
				*dst = kb << 10
			}
		}
	}
	if m.RSS == 0 {
		return Memory{}, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return m, sc.Err()
}

// PeakMemory samples the memory of pid every interval until the process is gone (or
// done is closed) and returns the sample with the highest RSS and how many were taken.
func PeakMemory(pid int, interval time.Duration, done <-chan struct{}) (peak Memory, samples int) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		m, err := ReadMemory(pid)
		if err != nil {
			return peak, samples // the process has exited
		}
		samples++
		if m.RSS > peak.RSS {
			peak = m
		}
		select {
		case <-done:
			return peak, samples
		case <-tick.C:
		}
	}
}
