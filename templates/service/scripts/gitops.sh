#!/usr/bin/env bash
# Changes to the GitOps repository, the same from GitHub Actions and Jenkins. Each environment folder
# envs/<env>/<app>/ is a small Helm chart whose charts/service/ is a copy of this repository's chart
# with appVersion set to the image tag: chart and image move between environments together.
#
#   gitops.sh publish <gitops-dir> <app> <env> <version>      copy ./chart in, appVersion = <version>
#   gitops.sh promote <gitops-dir> <app> <from> <to> <version> copy <from>'s chart to <to>, if <from> runs <version>
#   gitops.sh version <gitops-dir> <app> <env>                 print the version an environment runs
#   gitops.sh commit  <gitops-dir> <message>                   commit and push (rebasing on a concurrent push)
set -euo pipefail

die() { echo "gitops.sh: $*" >&2; exit 1; }
here="$(cd "$(dirname "$0")/.." && pwd)"

env_dir() {
    local dir="$1/envs/$3/$2"
    [[ -f "$dir/Chart.yaml" && -f "$dir/values.yaml" ]] || die "$dir is not an environment folder (needs Chart.yaml and values.yaml); see the GitOps repository's README"
    printf '%s' "$dir"
}

check_version() {
    [[ "$1" =~ ^([0-9a-f]{40}|[0-9]+\.[0-9]+\.[0-9]+)$ ]] || die "version '$1' is neither a full git SHA nor X.Y.Z"
}

running_version() {
    local chart
    chart="$(env_dir "$1" "$2" "$3")/charts/service/Chart.yaml"
    [[ -f "$chart" ]] || die "$chart is missing: nothing is published to $3 yet"
    sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$chart"
}

# Replaces <target>/charts/service with <source chart dir>, appVersion set to <version>.
install_chart() {
    local source="$1" target="$2/charts/service" version="$3"
    rm -rf "$target"
    mkdir -p "$target"
    cp -R "$source/." "$target/"
    grep -q '^appVersion:' "$target/Chart.yaml" || die "$source/Chart.yaml has no appVersion line"
    sed -i.bak "s/^appVersion:.*/appVersion: \"$version\"/" "$target/Chart.yaml" && rm -f "$target/Chart.yaml.bak"
}

cmd="${1:-}"
case "$cmd" in
    publish)
        [[ $# -eq 5 ]] || die "usage: gitops.sh publish <gitops-dir> <app> <env> <version>"
        check_version "$5"
        install_chart "$here/chart" "$(env_dir "$2" "$3" "$4")" "$5"
        ;;
    promote)
        [[ $# -eq 6 ]] || die "usage: gitops.sh promote <gitops-dir> <app> <from-env> <to-env> <version>"
        check_version "$6"
        from="$(env_dir "$2" "$3" "$4")"
        running="$(running_version "$2" "$3" "$4")"
        [[ "$running" == "$6" ]] || die "$4 runs $running, not $6: promote only what $4 has run"
        install_chart "$from/charts/service" "$(env_dir "$2" "$3" "$5")" "$6"
        ;;
    version)
        [[ $# -eq 4 ]] || die "usage: gitops.sh version <gitops-dir> <app> <env>"
        running_version "$2" "$3" "$4"
        ;;
    commit)
        [[ $# -eq 3 ]] || die "usage: gitops.sh commit <gitops-dir> <message>"
        cd "$2"
        git add -A
        if git diff --cached --quiet; then
            echo "gitops.sh: nothing changed, nothing to push"
            exit 0
        fi
        git commit -q -m "$3"
        # Another pipeline may have pushed meanwhile: replay this commit on top and try again.
        for attempt in 1 2 3 4 5; do
            git push -q origin HEAD && exit 0
            echo "gitops.sh: push rejected (attempt $attempt), rebasing" >&2
            sleep $((attempt * 2))
            git pull -q --rebase origin "$(git rev-parse --abbrev-ref HEAD)"
        done
        die "could not push to the GitOps repository after 5 attempts"
        ;;
    *)
        die "unknown command '$cmd'; one of publish, promote, version, commit"
        ;;
esac
