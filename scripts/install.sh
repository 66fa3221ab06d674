#!/usr/bin/env bash
# Install coopstats (editable) with one of its extras into a virtual environment, as fast as
# can be had: with uv (a fast, maintained installer, itself from PyPI) when it is on PATH or
# can be installed into the environment by the system's pip; with plain pip otherwise, or
# when COOPSTATS_INSTALLER=pip. uv does not read pip's configuration (index, find-links,
# constraints): it installs from PyPI. Without pip's ensurepip step, the environment is
# created in a fraction of a second; with uv it then has no pip of its own (use
# `.venv/bin/uv pip install …`).
#   usage: scripts/install.sh PYTHON VENV EXTRA
set -eu
python=$1 venv=$2 extra=$3
uv=""
if [ "${COOPSTATS_INSTALLER:-uv}" = "uv" ]; then
  if [ -x "$venv/bin/uv" ]; then uv=$venv/bin/uv
  elif command -v uv >/dev/null 2>&1; then uv=$(command -v uv)
  fi
fi
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv --without-pip "$venv"
fi
if [ -z "$uv" ] && [ "${COOPSTATS_INSTALLER:-uv}" = "uv" ] \
   && "$python" -m pip --python "$venv/bin/python" install --quiet --disable-pip-version-check \
        uv >/dev/null 2>&1; then
  uv=$venv/bin/uv
fi
if [ -n "$uv" ]; then
  echo "installing coopstats[$extra] into $venv with uv"
  exec "$uv" pip install --quiet --python "$venv/bin/python" -e ".[$extra]"
fi
echo "installing coopstats[$extra] into $venv with pip"
"$venv/bin/python" -m pip --version >/dev/null 2>&1 || "$venv/bin/python" -m ensurepip --default-pip >/dev/null
exec "$venv/bin/python" -m pip install --quiet -e ".[$extra]"
