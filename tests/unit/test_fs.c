/* test_fs.c - the atomic writers of util/fs.h: whole files, the user's umask,
 * nothing left behind on failure. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/error.h"
#include "util/fs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ag-test-fs-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static size_t entries(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* The file gets 0666 less the umask, as a file the user made would, and the
 * process umask is the same afterwards. */
static void writes_whole_file_with_the_umask(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/m.c", dir);
    mode_t old = umask(027);
    ag_error err = { 0 };
    assert_int_equal(ag_write_file_atomic(path, "abc\n", 4, &err), AG_OK);
    assert_int_equal(umask(old), 027);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    size_t len = 0;
    char *text = ag_read_file(path, &len, NULL);
    assert_non_null(text);
    assert_int_equal(len, 4);
    assert_string_equal(text, "abc\n");
    free(text);
    /* Replacing it leaves one file, no temporary beside it. */
    assert_int_equal(ag_write_file_atomic(path, "xy", 2, &err), AG_OK);
    assert_int_equal(entries(dir), 1);
}

static void failure_writes_nothing(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/missing/m.c", dir);
    ag_error err = { 0 };
    assert_int_equal(ag_write_file_atomic(path, "abc", 3, &err), AG_EIO);
    assert_non_null(strstr(err.msg, "nothing was written"));
    assert_int_equal(entries(dir), 0);
}

/* Many files: all written, or (one cannot be) none, no temporary left. */
static void many_files_all_or_nothing(void **state)
{
    (void)state;
    char a[300], b[300], bad[300];
    snprintf(a, sizeof(a), "%s/a.yaml", dir);
    snprintf(b, sizeof(b), "%s/b.yaml", dir);
    snprintf(bad, sizeof(bad), "%s/missing/c.yaml", dir);
    const char *paths[] = { a, b, bad };
    const char *data[] = { "one\n", "two\n", "three\n" };
    size_t lens[] = { 4, 4, 6 };
    ag_error err = { 0 };
    assert_int_equal(ag_write_files_atomic(paths, data, lens, 3, &err), AG_EIO);
    assert_non_null(strstr(err.msg, "nothing was written"));
    assert_int_equal(entries(dir), 0);
    assert_int_equal(ag_write_files_atomic(paths, data, lens, 2, &err), AG_OK);
    assert_int_equal(entries(dir), 2);
    char *text = ag_read_file(b, NULL, NULL);
    assert_string_equal(text, "two\n");
    free(text);
}

/* A target that already holds its text is left alone (same inode); one that
 * differs is replaced. */
static void unchanged_files_are_kept(void **state)
{
    (void)state;
    char a[300], b[300];
    snprintf(a, sizeof(a), "%s/a.yaml", dir);
    snprintf(b, sizeof(b), "%s/b.yaml", dir);
    const char *paths[] = { a, b };
    const char *data[] = { "one\n", "two\n" };
    size_t lens[] = { 4, 4 };
    ag_error err = { 0 };
    assert_int_equal(ag_write_files_atomic(paths, data, lens, 2, &err), AG_OK);
    struct stat before_a, before_b, after_a, after_b;
    assert_int_equal(stat(a, &before_a), 0);
    assert_int_equal(stat(b, &before_b), 0);
    data[1] = "three\n";
    lens[1] = 6;
    assert_int_equal(ag_write_files_atomic(paths, data, lens, 2, &err), AG_OK);
    assert_int_equal(stat(a, &after_a), 0);
    assert_int_equal(stat(b, &after_b), 0);
    assert_true(before_a.st_ino == after_a.st_ino);
    assert_true(before_b.st_ino != after_b.st_ino);
    assert_int_equal(entries(dir), 2);
    char *text = ag_read_file(b, NULL, NULL);
    assert_string_equal(text, "three\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(failure_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_whole_file_with_the_umask, setup, teardown),
        cmocka_unit_test_setup_teardown(many_files_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(unchanged_files_are_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
