#!/usr/bin/env bash
# Creates the two virtualenvs (.venv/rasa on Python 3.10, .venv/app on Python 3.11) from the
# lock files. Idempotent and quick when nothing changed: each venv keeps a stamp of its inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

find_python() {  # $1 = minor version, e.g. 3.10
  local want=$1 candidate
  for candidate in "python$want" \
      $(command -v pyenv >/dev/null 2>&1 && ls -d "$(pyenv root)"/versions/"$want"*/bin/python"$want" 2>/dev/null) \
      $(ls -d "$HOME"/.pyenv/versions/"$want"*/bin/python"$want" /usr/bin/python"$want" /usr/local/bin/python"$want" 2>/dev/null); do
    if "$candidate" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$want'.split('.')))" >/dev/null 2>&1; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

make_venv() {  # $1 = name, $2 = python, $3 = stamp, rest = pip install args
  local name=$1 py=$2 stamp=$3; shift 3
  local dir="$ROOT/.venv/$name"
  if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$stamp" ]]; then
    return 0
  fi
  echo "bootstrap: building .venv/$name with $("$py" --version) (a few minutes the first time)"
  rm -rf "$dir"
  "$py" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip<27" wheel setuptools 2> >(grep -v "is ignored: it is neither" >&2)
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2> >(grep -v "is ignored: it is neither" >&2)
  echo "$stamp" > "$dir/.stamp"
}

PY310=$(find_python 3.10) || {
  echo "error: Python 3.10 not found (Rasa 3.6 needs it): install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10'" >&2
  exit 1
}
PY311=$(find_python 3.11) || {
  echo "error: Python 3.11 not found: install it, e.g. 'pyenv install 3.11' or 'apt-get install python3.11'" >&2
  exit 1
}

make_venv rasa "$PY310" "$(stamp_of requirements/rasa.lock)" -r requirements/rasa.lock
make_venv app "$PY311" "$(stamp_of requirements/app.lock pyproject.toml)" -r requirements/app.lock
# The project itself, editable, without touching the pinned dependencies.
if [[ ! -f .venv/app/.project-stamp || "$(cat .venv/app/.project-stamp)" != "$(stamp_of pyproject.toml)" ]]; then
  .venv/app/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  stamp_of pyproject.toml > .venv/app/.project-stamp
fi
