#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Validates the Kubernetes manifests of deploy/kubernetes with kubeconform (a Go tool of
# internal/tools/go.mod) against the schemas of the Kubernetes API that
# scripts/install-k8s-schemas.sh builds offline and caches, in strict mode: a field the
# API does not have, in any object, fails the check.
#
#   scripts/check-k8s-manifests.sh
#
# Checks, in order:
#   1. every manifest is valid, and every resource was validated against a schema (none
#      skipped, none without a schema);
#   2. deploy/kustomization.yaml lists every manifest but the topic Job, and only those;
#   3. kustomize (a Go tool of internal/tools/kustomize/go.mod) builds deploy/ (the
#      ConfigMaps generated from deploy/config, their hashed names in the references, the
#      image), and what it renders is valid too. Until deploy/config is in the tree, it
#      builds a copy of deploy/ with stand-in configuration files, and says so;
#   4. negative controls: copies of the manifests broken in one way each (an unknown field,
#      a wrong type, a missing required field, an unknown kind) must be refused, each with
#      the error that names what is wrong. If kubeconform ever accepted everything, or
#      silently skipped a kind, step 1 would prove nothing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

kubernetes_version=1.37.2 # the version scripts/install-k8s-schemas.sh installs
manifests=deploy/kubernetes
kustomization=deploy/kustomization.yaml

schemas=$(scripts/install-k8s-schemas.sh | tail -1)
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
GOWORK=off go build -modfile=internal/tools/go.mod -o "$tools/kubeconform" github.com/yannh/kubeconform/cmd/kubeconform
GOWORK=off go build -modfile=internal/tools/kustomize/go.mod -o "$tools/kustomize" sigs.k8s.io/kustomize/kustomize/v5

kubeconform() {
  "$tools/kubeconform" -strict -summary -schema-location "$schemas" \
    -kubernetes-version "$kubernetes_version" "$@"
}

failures=0
# check <description> <expect: pass|fail> <text the output must contain> <command...>
check() {
  local what=$1 expect=$2 want=$3 out rc=0
  shift 3
  out=$("$@" 2>&1) || rc=$?
  if { [[ $expect == pass && $rc -eq 0 ]] || [[ $expect == fail && $rc -ne 0 ]]; } &&
    grep -qF -- "$want" <<<"$out"; then
    printf '  ok    %s\n' "$what"
  else
    printf '  FAIL  %s (expected to %s with "%s", exit code %d)\n' "$what" "$expect" "$want" "$rc"
    [[ -n $out ]] && sed 's/^/        /' <<<"$out"
    failures=$((failures + 1))
  fi
}

shopt -s nullglob
files=("$manifests"/*.yaml)
if ((${#files[@]} == 0)); then
  echo "check-k8s-manifests: no manifests in $manifests" >&2
  exit 1
fi
resources=$(cat "${files[@]}" | grep -c '^kind: ')

echo "manifests (kubeconform -strict, Kubernetes $kubernetes_version):"
check "$manifests: $resources resources, all valid, none skipped" pass \
  "Valid: $resources, Invalid: 0, Errors: 0, Skipped: 0" kubeconform "$manifests"

echo "kustomization:"
listed=$(sed -n 's/^  - \(kubernetes\/[^ ]*\.yaml\)$/\1/p' "$kustomization" | sort)
present=$(cd deploy && printf '%s\n' kubernetes/*.yaml | grep -v '^kubernetes/kafka-topics-job.yaml$' | sort)
check "$kustomization lists every manifest but the topic Job" pass "" diff <(echo "$listed") <(echo "$present")

echo "kustomize build:"
build_dir=deploy
if [[ ! -f deploy/config/intake.yaml || ! -f deploy/config/session.yaml ]]; then
  # The tier configurations come with another work package; the content of a ConfigMap
  # does not change what kubeconform sees, so stand-ins show that the rest builds.
  build_dir=$tools/deploy
  cp -r deploy "$build_dir"
  mkdir -p "$build_dir/config"
  for f in intake session; do
    [[ -f $build_dir/config/$f.yaml ]] || echo "# stand-in for deploy/config/$f.yaml" >"$build_dir/config/$f.yaml"
  done
  echo "  (deploy/config/intake.yaml or session.yaml missing: built with stand-ins)"
fi
"$tools/kustomize" build "$build_dir" >"$tools/rendered.yaml"
rendered=$(grep -c '^kind: ' "$tools/rendered.yaml")
check "kustomize build deploy/: $rendered resources, all valid, none skipped" pass \
  "Valid: $rendered, Invalid: 0, Errors: 0, Skipped: 0" kubeconform "$tools/rendered.yaml"
check "the rendered pods use the image named in $kustomization" pass "" \
  bash -c "! grep -E '^ +image: otelcol-rum$' '$tools/rendered.yaml'"

echo "negative controls (must be refused):"
broken=$(mktemp -d)
trap 'rm -rf "$tools" "$broken"' EXIT
# break <name> <manifest> <sed expression>: a copy of the manifest with one change, which
# must have changed something.
break_copy() {
  sed "$3" "$manifests/$2" >"$broken/$1.yaml"
  if cmp -s "$manifests/$2" "$broken/$1.yaml"; then
    echo "check-k8s-manifests: the edit '$3' changed nothing in $2" >&2
    exit 1
  fi
}
break_copy unknown-field session-statefulset.yaml 's/terminationGracePeriodSeconds:/terminationGracePeriodSecond:/'
check "a misspelt field (terminationGracePeriodSecond)" fail \
  "additional properties 'terminationGracePeriodSecond' not allowed" kubeconform "$broken/unknown-field.yaml"

break_copy misplaced-field intake-deployment.yaml 's/^\(          \)readinessProbe:/\1readiness:/'
check "a field at the wrong level (readiness in a container)" fail \
  "additional properties 'readiness' not allowed" kubeconform "$broken/misplaced-field.yaml"

break_copy wrong-type intake-deployment.yaml 's/terminationGracePeriodSeconds: 40/terminationGracePeriodSeconds: forty/'
check "a string where an integer belongs" fail \
  "got string, want integer" kubeconform "$broken/wrong-type.yaml"

break_copy missing-required intake-hpa.yaml '/maxReplicas:/d'
check "a missing required field (maxReplicas)" fail \
  "missing property 'maxReplicas'" kubeconform "$broken/missing-required.yaml"

break_copy unknown-kind session-pdb.yaml 's/^kind: PodDisruptionBudget$/kind: PodDisruptionBudgett/'
check "a kind without a schema" fail "could not find schema" kubeconform "$broken/unknown-kind.yaml"

if ((failures > 0)); then
  echo "check-k8s-manifests: $failures check(s) failed" >&2
  exit 1
fi
echo "check-k8s-manifests: all checks passed"
