# review_lib.sh - git repositories for the review and rebase tests: commits
# with fixed names and dates (stable ids), no user or system git configuration.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Reviewer GIT_AUTHOR_EMAIL=reviewer@example.com
export GIT_COMMITTER_NAME=Reviewer GIT_COMMITTER_EMAIL=reviewer@example.com
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

# g ARGS...: git in the project.
g() {
    git -C "$T/p" "$@" >/dev/null
}

# git_project: the project of new_project, a git repository on branch main
# whose first commit holds it (the database file is not tracked).
git_project() {
    git -C "$T/p" init -q -b main
    printf 'app.db\n.cache/\n' >"$T/p/.gitignore"
    g add -A
    g commit -q -m "autogen init"
}

# table_model NAME [COLUMN TYPE]...: models/NAME.yaml with an id and the columns.
table_model() {
    local name=$1
    shift
    {
        printf 'tables:\n  %s:\n    columns:\n' "$name"
        printf '      id: { type: bigint, primary_key: true }\n'
        while [ $# -gt 1 ]; do
            printf '      %s: { type: %s }\n' "$1" "$2"
            shift 2
        done
    } >"$T/p/models/$name.yaml"
}

# migrate ID MESSAGE: a fresh database at the head, then revision ID from the models.
migrate() {
    rm -f "$T/p/app.db"
    expect 0 upgrade heads
    expect 0 revision -m "$2" --rev-id "$1"
}
