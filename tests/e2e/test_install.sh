#!/usr/bin/env bash
# After `cmake --install`, the install tree is enough on its own: the installed
# binary compiles and runs migrations (the migration header is built into it);
# a program built with nothing but `pkg-config autogen`, or with
# find_package(autogen) in CMake, links libautogen and migrates a database; the
# man page renders and lists every command; the bash completion completes commands
# and option values; the zsh completion parses and registers.
. "$(dirname "$0")/lib.sh"
: "${AG_BUILD_DIR:?AG_BUILD_DIR must name the build tree}"
P="$T/inst"
cmake --install "$AG_BUILD_DIR" --prefix "$P" >/dev/null
[ -x "$P/bin/autogen" ] || fail "no installed autogen"
[ -f "$P/include/autogen/migration.h" ] || fail "no installed migration.h"
AUTOGEN="$P/bin/autogen"
new_project
cat >"$T/p/models/m.yaml" <<'YAML'
tables:
  notes:
    columns:
      id:   { type: integer, primary_key: true }
      body: { type: text, nullable: false }
YAML
expect 0 revision -m "notes" --rev-id 0123456789ab
expect 0 upgrade head
expect 0 check
expect 0 downgrade base

# An embedding program built from the install tree only.
cat >"$T/app.c" <<'C'
#include <autogen/autogen.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    ag_project *p = NULL;
    ag_error err = { 0 };
    ag_project_options o = AG_PROJECT_OPTIONS_INIT;
    o.config_path = argv[argc - 1];
    char cur[256];
    int differs = -1;
    if (ag_project_open(&p, &o, &err) || ag_project_upgrade(p, "head", &err) ||
        ag_project_current(p, cur, sizeof(cur), &err) || ag_project_check(p, &differs, &err)) {
        fprintf(stderr, "app: %s\n", err.msg);
        ag_project_free(p);
        return 1;
    }
    printf("at %s, differs %d\n", cur, differs);
    ag_project_free(p);
    return 0;
}
C
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
flags=$(pkg-config --cflags --libs autogen) || fail "pkg-config does not find autogen"
case "$flags" in *"-I$P/include"*|*"inst/lib/pkgconfig/../../include"*) ;;
    *) fail "pkg-config points elsewhere than the install prefix: $flags" ;; esac
# shellcheck disable=SC2086
cc -std=c11 -o "$T/app" "$T/app.c" $flags 2>"$T/cc.err" || { cat "$T/cc.err" >&2; fail "pkg-config build"; }
(cd "$T" && ./app p/autogen.yaml) >"$T/app.out" 2>"$T/app.err" || { cat "$T/app.err" >&2; fail "app failed"; }
assert_eq "$(cat "$T/app.out")" "at 0123456789ab, differs 0"
[ ! -s "$T/app.err" ] || { cat "$T/app.err" >&2; fail "the library printed on stderr"; }
expect 0 current
assert_contains "$T/out" "0123456789ab"
expect 0 downgrade base

# examples/embed as its README builds it: its own line per migration, from the
# library's events.
# shellcheck disable=SC2086
cc -std=c11 -o "$T/embed" "$AG_TEST_SRC/examples/embed/embed.c" $flags 2>"$T/cc.err" ||
    { cat "$T/cc.err" >&2; fail "pkg-config build of examples/embed"; }
(cd "$T" && ./embed p/autogen.yaml) >"$T/app.out" 2>"$T/app.err" || { cat "$T/app.err" >&2; fail "embed failed"; }
grep -Eq '^embed: applied 0123456789ab \(notes\) in [0-9]+ ms$' "$T/app.out" ||
    fail "embed: no line for the migration: $(cat "$T/app.out")"
assert_contains "$T/app.out" "database at 0123456789ab; models match"
expect 0 downgrade base

# The same through CMake's find_package.
mkdir -p "$T/cm"
cp "$T/app.c" "$T/cm/app.c"
cat >"$T/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(app C)
find_package(autogen 0.2 REQUIRED)
add_executable(app app.c)
target_link_libraries(app PRIVATE autogen::autogen)
CM
cmake -S "$T/cm" -B "$T/cm/b" -DCMAKE_PREFIX_PATH="$P" >"$T/cm.log" 2>&1 &&
    cmake --build "$T/cm/b" >>"$T/cm.log" 2>&1 || { cat "$T/cm.log" >&2; fail "find_package build"; }
(cd "$T" && ./cm/b/app p/autogen.yaml) >"$T/app.out" 2>"$T/app.err" || { cat "$T/app.err" >&2; fail "cmake app"; }
assert_eq "$(cat "$T/app.out")" "at 0123456789ab, differs 0"

# The man page: renders without warnings and names every command of --help.
man1="$P/share/man/man1/autogen.1"
[ -f "$man1" ] || fail "no installed man page"
MANWIDTH=100 man -l "$man1" >"$T/man.txt" 2>"$T/man.err" || fail "man -l failed"
groff -man -Tutf8 -ww -z "$man1" 2>"$T/groff.err"
[ ! -s "$T/groff.err" ] || { cat "$T/groff.err" >&2; fail "groff warnings"; }
"$AUTOGEN" --help | sed -n '/^commands:/,/^$/p' | awk 'NF {print $1}' | tail -n +2 >"$T/cmds"
[ -s "$T/cmds" ] || fail "no commands in --help"
while read -r c; do
    grep -q "^ *autogen $c\b" "$T/man.txt" || fail "the man page lacks '$c'"
done <"$T/cmds"
assert_contains "$T/man.txt" "--lock-timeout SECONDS"
assert_contains "$T/man.txt" "EXIT STATUS"

# bash: commands, then a command's options, then an option's values.
comp="$P/share/bash-completion/completions/autogen"
[ -f "$comp" ] || fail "no installed bash completion"
complete_bash() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _autogen;
             [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@" |
        sort | tr '\n' ' '
}
assert_eq "$(complete_bash autogen h)" "heads history "
assert_eq "$(complete_bash autogen st)" "stamp status "
assert_eq "$(complete_bash autogen -c a.yaml upgrade --d)" "--dry-run "
assert_eq "$(complete_bash autogen --format '')" "json text "
assert_eq "$(complete_bash autogen history --color a)" "always auto "
assert_eq "$(complete_bash autogen revision -m '')" ""   # a message: nothing offered
: >"$T/conf-x.yaml"
assert_eq "$(complete_bash autogen -c "$T/conf-")" "$T/conf-x.yaml "

# zsh: the function parses and compinit registers it for autogen.
zfile="$P/share/zsh/site-functions/_autogen"
[ -f "$zfile" ] || fail "no installed zsh completion"
if command -v zsh >/dev/null; then
    zsh -n "$zfile" || fail "the zsh completion does not parse"
    assert_eq "$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2";
                             print ${_comps[autogen]}' _ "$P/share/zsh/site-functions" "$T/zcd")" \
        "_autogen"
fi
echo "ok: install"
