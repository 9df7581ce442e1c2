// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package kubernetes tests what a schema cannot see in the Kubernetes manifests of deploy/:
// that the resources refer to each other correctly (selectors, names, ports, ConfigMaps)
// and that the figures that must agree (GOMEMLIMIT, memory limits, memory_limiter) do.
// The schemas themselves are checked by `make deploy-manifests` (kubeconform).
package kubernetes // import "github.com/otelcol-rum/otelcol-rum/test/kubernetes"
