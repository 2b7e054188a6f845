#!/usr/bin/env bash
# setup.sh - install what is missing, build autogen, and run the main job: a real
# autogenerate of models/ against the embedded SQLite default (app.db), written
# into alembic_like/versions/ and applied.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ag_install_deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DAUTOGEN_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
ag=./build/autogen
$ag upgrade head                              # bring app.db to the last migration, if any
$ag revision -m "autogenerate models"          # diff models/ against app.db, write a migration
$ag upgrade head                              # apply it
$ag check                                     # exit 0: the database matches the models
$ag current
