#!/usr/bin/env bash
# The CI pipeline's steps, one mig-* call each, shared by ci/github-actions.yml,
# ci/gitlab-ci.yml and the local test (tests/e2e/test_ci_steps.sh), so what CI
# runs is what was tested.
#   scripts/ci-steps.sh lint|rehearse|round-trip|schema|diff|apply|all
# DATABASE_URL (or PG*) points at a service PostgreSQL; MIG_LINT_FORMAT picks
# the lint reporter (github in GitHub Actions, text elsewhere).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$here/build/tools/mig-lint" ] && export PATH="$here/build/tools:$PATH"
snapshot=${MIG_SCHEMA_SNAPSHOT:-$here/ci/schema.txt}

step() {
  case "$1" in
    lint)       mig-lint --format "${MIG_LINT_FORMAT:-text}" ;;
    rehearse)   mig-dryrun --format text ;;                     # pending migrations, rolled back, with a lock report
    round-trip) mig-dryrun --scratch --format text ;;           # every down restores the schema before its up
    schema)     mig-dryrun --compare "$snapshot" --format text ;;  # no drift from the committed snapshot
    diff)       mig-diff --check --format text ;;               # schema/ (declared) matches what migrations/ produce
    apply)      mig-apply --format text && mig-status --check --format text ;;
    all)        for s in lint rehearse round-trip schema diff apply; do echo "== $s" >&2; step "$s"; done ;;
    *)          echo "usage: ci-steps.sh lint|rehearse|round-trip|schema|diff|apply|all" >&2; exit 2 ;;
  esac
}
step "${1:-all}"
