/* git.h - what `review` and `rebase` read from git, through libgit2 only.
 *
 * The repository is discovered from the project folder (which may be a
 * subfolder of it); revisions are resolved as git does (branch, remote branch,
 * tag, sha, HEAD~2); files are read from a commit's tree as blobs, so that
 * nothing is checked out and the working tree is never touched.
 */
#ifndef AUTOGEN_REVIEW_GIT_H
#define AUTOGEN_REVIEW_GIT_H

#include "../util/arena.h"
#include "../util/common.h"

#include <autogen/autogen.h>
#include <git2.h>

typedef struct ag_git {
    git_repository *repo;
    const char *workdir; /* real path, ending in '/' */
    const char *prefix;  /* the project folder relative to workdir: "" or "sub/dir/" */
    ag_arena arena;
} ag_git;

/* Open the repository that holds project_dir (real path). AG_ENOTFOUND when
 * project_dir is in no repository. */
int ag_git_open(ag_git *g, const char *project_dir, ag_error *err);
void ag_git_close(ag_git *g);

/* The commit spec names (git_revparse_single). AG_ENOTFOUND, saying so, when
 * there is none. */
int ag_git_resolve(ag_git *g, const char *spec, git_commit **out, ag_error *err);
/* The best common ancestor of a and b. In a shallow clone that lacks it, an
 * error that says to fetch more history. */
int ag_git_merge_base(ag_git *g, git_commit *a, git_commit *b, git_commit **out, ag_error *err);

/* The blob at path (relative to the repository root) in tree: *text is
 * malloc'd and NUL-terminated; *found false (and AG_OK) when there is no such
 * file. */
int ag_git_read(ag_git *g,
                git_tree *tree,
                const char *path,
                char **text,
                size_t *len,
                bool *found,
                ag_error *err);

/* The files below dir in tree whose name ends in one of exts (NULL-terminated),
 * recursively or not: repository-relative paths and blob ids, in path order. */
typedef struct ag_git_file {
    const char *path;
    git_oid oid;
} ag_git_file;
typedef struct ag_git_files {
    ag_git_file *v;
    size_t n, cap;
} ag_git_files;
int ag_git_list(ag_git *g,
                git_tree *tree,
                const char *dir,
                const char *const *exts,
                bool recursive,
                ag_arena *a,
                ag_git_files *out,
                ag_error *err);

/* The blob id git gives a file's content. */
void ag_git_hash(const char *data, size_t len, git_oid *out);

/* path (relative to the current directory or absolute) relative to the
 * repository root, with "." and ".." resolved; NULL when it is outside. */
const char *ag_git_relpath(ag_git *g, ag_arena *a, const char *path);
/* Resolve "." and ".." components of a relative path ("a/../b" -> "b"). */
const char *ag_path_normalize(ag_arena *a, const char *path);

#endif
