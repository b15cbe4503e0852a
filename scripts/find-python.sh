#!/usr/bin/env bash
# Print the path of a Python >= 3.12: the python3 on PATH if new enough, else python3.12/3.13,
# else pyenv's installed versions. Exit 1 with a clear message if there is none.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
for cand in python3 python3.13 python3.12; do
  p=$(command -v "$cand" 2>/dev/null) && ok "$p" && { echo "$p"; exit 0; }
done
roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)/versions")
roots+=("${PYENV_ROOT:-$HOME/.pyenv}/versions" "/root/.pyenv/versions")
for root in "${roots[@]}"; do
  [ -d "$root" ] || continue
  # prefer 3.12 (the version in .python-version), then newer ones
  for p in $(ls -d "$root"/3.12*/bin/python3 2>/dev/null | sort -rV) \
           $(ls -d "$root"/3.1[3-9]*/bin/python3 2>/dev/null | sort -V); do
    ok "$p" && { echo "$p"; exit 0; }
  done
done
echo "error: no Python >= 3.12 found (tried python3, python3.13, python3.12 and pyenv's versions); install one, e.g. 'pyenv install 3.12'" >&2
exit 1
