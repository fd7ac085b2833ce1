#!/usr/bin/env bash
# Make the course's virtual environment ready, reinstalling only when needed. Called by `make`.
#
#   tools/venv.sh PYTHON VENV [REQUIREMENTS] [--dry-run]
#
# - PYTHON must be 3.11 or newer (requirements.lock pins releases that need it): else a clear error.
# - A VENV whose interpreter is missing, dangling or older than 3.11 is deleted and made again.
# - It installs REQUIREMENTS (requirements.txt or requirements.lock) and the course package,
#   unless the stamp VENV/.installed says exactly that file, at exactly that content, is in.
#   With no REQUIREMENTS it keeps what the venv was installed from (so `make test` after
#   `make install REQUIREMENTS=requirements.lock` tests the lock and installs nothing), and
#   installs requirements.txt into a new venv.
# - Nothing unpinned is installed on the way: pip itself is not upgraded.
# --dry-run prints the decision ("ok", "create", "recreate: why", "install FILE") and changes nothing.
set -euo pipefail
dry=0
args=()
for arg in "$@"; do
  if [ "$arg" = "--dry-run" ]; then dry=1; else args+=("$arg"); fi
done
python=${args[0]:?usage: tools/venv.sh PYTHON VENV [REQUIREMENTS] [--dry-run]}
venv=${args[1]:?usage: tools/venv.sh PYTHON VENV [REQUIREMENTS] [--dry-run]}
wanted=${args[2]:-}
stamp="$venv/.installed"

supported() {  # the interpreter runs and is 3.11 or newer
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

if ! supported "$python"; then
  found=$("$python" --version 2>&1 || echo "not found")
  echo "error: '$python' is $found; the course needs Python 3.11 or newer." >&2
  echo "Install one (e.g. python3.11) and run: make PYTHON=python3.11 <target>" >&2
  exit 1
fi

action=ok
if [ -e "$venv" ] || [ -L "$venv/bin/python" ]; then
  if ! supported "$venv/bin/python"; then
    action="recreate: its interpreter is missing, broken or older than 3.11"
  fi
else
  action=create
fi

recorded=$(cat "$stamp" 2>/dev/null || true)            # "<file> <sha256 of file + pyproject>"
[ "$action" = ok ] || recorded=""
file=${wanted:-${recorded%% *}}
file=${file:-requirements.txt}
[ -f "$file" ] || { echo "error: requirements file '$file' does not exist" >&2; exit 1; }
want="$file $(cat "$file" pyproject.toml | sha256sum | cut -c1-64)"
if [ "$action" = ok ] && [ "$recorded" != "$want" ]; then
  action="install $file"
fi

if [ "$dry" = 1 ]; then echo "$action"; exit 0; fi
case "$action" in
  ok) exit 0 ;;
  recreate*) echo "$venv: $action" >&2; rm -rf "$venv"; "$python" -m venv "$venv" ;;
  create) "$python" -m venv "$venv" ;;
esac
echo "installing $file into $venv"
rm -f "$stamp"
"$venv/bin/python" -m pip install --quiet -r "$file"
"$venv/bin/python" -m pip install --quiet --no-deps --no-build-isolation -e .
echo "$want" > "$stamp"
