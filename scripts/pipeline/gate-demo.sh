#!/usr/bin/env bash
# The extension's own gate on the repository's ARM samples, with the armgate this run built and
# installed: a template whose one violation carries a justified, unexpired attestation must pass,
# and a violating one must be stopped (exit code 1).
# Usage (from the repository root): scripts/pipeline/gate-demo.sh <report folder>
set -euo pipefail
out="${1:?usage: gate-demo.sh <report folder>}"
samples=test/ArmTemplateSecurityGate/fixtures
mkdir -p "$out"
armgate --version

echo "Attested sample ($samples/attested): its violation is attested in the template, so the gate must pass."
armgate scan "$samples/attested" --format sarif --output "$out/attested.sarif"

echo "Violating sample ($samples/violating): the gate must fail it."
set +e
armgate scan "$samples/violating" --format sarif --output "$out/violating.sarif"
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "##vso[task.logissue type=error]armgate exited $code on the violating sample; a working gate exits 1 there"
  exit 1
fi
echo "As expected, the gate stopped the violating sample (exit code 1); its findings are in the Scans tab."
