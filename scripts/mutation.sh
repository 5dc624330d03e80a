#!/usr/bin/env bash
# Mutation testing (issue 14), run by hand before closing test work, not in CI: it takes tens of
# minutes. mutmut 3 (config: [tool.mutmut] in pyproject.toml) because it records which tests reach
# each function and runs only those per mutant, where cosmic-ray reruns the chosen suite for every
# mutant. Usage: scripts/mutation.sh [MUTANT_GLOB...], e.g. 'stconfig.values*'.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-mutation
if [ ! -x "$venv/bin/mutmut" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -e '.[test]' 'mutmut==3.8.1'
fi
# shellcheck disable=SC1091
. "$venv/bin/activate"

# The tests run in mutants/, one level deeper than ../shared expects.
export STCONFIG_SHARED="${STCONFIG_SHARED:-$(cd .. && pwd)/shared}"
mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@" || true
# One line per module: killed / all tested, then the survivors to read or kill.
mutmut results --all true | awk -F': ' '
    NF == 2 {
        name = $1; sub(/^ +/, "", name)
        module = name; sub(/\.x[_ǁ].*$/, "", module)
        total[module]++; if ($2 == "killed" || $2 == "timeout") killed[module]++
        if ($2 == "survived") survivors = survivors "\n  " name
        all++; if ($2 == "killed" || $2 == "timeout") all_killed++
    }
    END {
        for (m in total) printf "%-34s %4d / %4d killed (%.0f%%)\n", m, killed[m], total[m], 100 * killed[m] / total[m]
        if (all) printf "%-34s %4d / %4d killed (%.1f%%)\n", "all", all_killed, all, 100 * all_killed / all
        if (survivors) print "survived:" survivors
    }'
