#!/bin/sh
# Prints the path of a Python 3.10 interpreter for the Rasa environment:
# $PYTHON310 if set, else python3.10 on PATH, else the newest 3.10 under pyenv.
is_310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

if [ -n "${PYTHON310:-}" ]; then
  is_310 "$PYTHON310" && { echo "$PYTHON310"; exit 0; }
  echo "PYTHON310=$PYTHON310 is not a working Python 3.10." >&2; exit 1
fi
candidate=$(command -v python3.10 2>/dev/null)
is_310 "$candidate" && { echo "$candidate"; exit 0; }
if command -v pyenv >/dev/null 2>&1; then
  for candidate in $(ls -d "$(pyenv root)"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do
    is_310 "$candidate" && { echo "$candidate"; exit 0; }
  done
fi
cat >&2 <<'MSG'
Passerelle's Rasa server needs Python 3.10 (Rasa Open Source 3.6 supports Python 3.8-3.10),
and none was found. Install one (for example `pyenv install 3.10`), or point to it with
PYTHON310=/path/to/python3.10 make ...
MSG
exit 1
