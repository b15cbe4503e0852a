#!/usr/bin/env bash
# Print the path of a real Python >= 3.12 interpreter: the python3 on PATH if new enough, else
# python3.13/python3.12, else pyenv's installed versions. Exit 1 with a clear message if there is
# none.
#
# The path printed is the interpreter's own (its sys.executable), never a pyenv shim: a shim
# picks its Python from the working directory's .python-version, so the same shim gives 3.12
# inside this repository and perhaps 3.11 elsewhere. Each candidate's real path is checked
# again from outside the repository (from /) before it is printed.
set -u
real_path() {  # the interpreter behind $1 (a shim resolves here, in the repository)
  "$1" -c 'import sys; print(sys.executable)' 2>/dev/null
}
ok_anywhere() {  # $1 is Python >= 3.12 whatever the working directory
  (cd / && "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)') 2>/dev/null
}
try() {
  local real
  real=$(real_path "$1") || return 1
  [ -n "$real" ] && [ -x "$real" ] || return 1
  case "$real" in */shims/*) return 1 ;; esac
  ok_anywhere "$real" || return 1
  echo "$real"
  exit 0
}
cd "$(dirname "$0")/.." || exit 1  # candidates are resolved as the repository would resolve them
for cand in python3 python3.13 python3.12; do
  p=$(command -v "$cand" 2>/dev/null) && try "$p"
done
roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)/versions")
roots+=("${PYENV_ROOT:-$HOME/.pyenv}/versions" "/root/.pyenv/versions")
for root in "${roots[@]}"; do
  [ -d "$root" ] || continue
  # prefer 3.12 (the version in .python-version), then newer ones
  for p in $(ls -d "$root"/3.12*/bin/python3 2>/dev/null | sort -rV) \
           $(ls -d "$root"/3.1[3-9]*/bin/python3 2>/dev/null | sort -V); do
    try "$p"
  done
done
echo "error: no Python >= 3.12 found (tried python3, python3.13, python3.12 and pyenv's versions); install one, e.g. 'pyenv install 3.12'" >&2
exit 1
