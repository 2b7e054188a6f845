/* isolate.c - recording migrations in a child process; see migfile.h.
 *
 * A migration is C run in-process: a bad pointer in its upgrade() would end
 * autogen with a signal and no word of which file did it. So the runner
 * records every migration a run needs in one child (one fork per run, not
 * per file: a thousand-revision upgrade stays fast), which sends each op
 * list back through a pipe in the op cache's encoding (opcodec.h). The
 * parent reads until the child is gone; a child that died before sending
 * every result names the file it was recording and how it ended.
 */
#include "../util/common.h"
#include "migfile.h"

#include "../schema/opcodec.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* One job's result on the pipe: this header, then oplen bytes of ops. */
typedef struct result_head {
    uint32_t index;
    int32_t rc;
    uint8_t cacheable;
    uint64_t oplen;
    ag_error err;
} result_head;

static bool write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

/* The child: record each job, send its result, stop at the first failure.
 * Crashes take the default action (no handler of the parent's, a
 * sanitizer's included, turns them into something else), and nothing of the
 * parent's runs at exit. It dies with the parent (parent: its pid), so that
 * a runner killed with SIGKILL leaves no migration running on (the death
 * signal follows the forking thread, which waits for the child throughout). */
static _Noreturn void child(ag_compiler *c,
                            const ag_record_job *jobs,
                            size_t n,
                            const char *dialect,
                            unsigned timeout_s,
                            int fd,
                            pid_t parent)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(0); /* the parent is already gone */
    static const int crash[] = {
        SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM, SIGSYS, SIGTRAP
    };
    for (size_t i = 0; i < AG_NELEM(crash); i++)
        signal(crash[i], SIG_DFL);
    /* The database connection (a SQLite file, a PostgreSQL socket) is the
     * parent's alone: migration code gets no descriptor but stdio's and the
     * pipe. */
    if (fd > 3)
        close_range(3, (unsigned)fd - 1, 0);
    close_range((unsigned)fd + 1, ~0U, 0);
    ag_buf b = AG_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        result_head h = { .index = (uint32_t)i };
        ag_oplist *ops = ag_oplist_new();
        bool cacheable = false;
        if (timeout_s)
            alarm(timeout_s);
        h.rc = ag_migration_collect(c, jobs[i].path, jobs[i].dir, dialect, ops, &cacheable, &h.err);
        alarm(0);
        h.cacheable = cacheable;
        ag_buf_clear(&b);
        if (h.rc == AG_OK)
            ag_oplist_encode(&b, ops);
        h.oplen = b.len;
        ag_oplist_free(ops);
        if (!write_all(fd, &h, sizeof(h)) || !write_all(fd, b.ptr, b.len) || h.rc != AG_OK)
            _exit(0);
    }
    _exit(0);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGABRT:
        return "SIGABRT";
    case SIGALRM:
        return "SIGALRM";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGSYS:
        return "SIGSYS";
    case SIGTRAP:
        return "SIGTRAP";
    default:
        return NULL;
    }
}

/* The error for a child that ended (status) while recording job. */
static int ended(const ag_record_job *job, int status, unsigned timeout_s, ag_error *err)
{
    const char *fn = job->dir == AG_UPGRADE ? "upgrade" : "downgrade";
    const char *nothing = "; nothing ran, the database is unchanged";
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        return ag_error_set(err, AG_ERROR, "%s: %s() did not return within %u seconds%s", job->path,
                            fn, timeout_s, nothing);
    if (WIFSIGNALED(status)) {
        const char *name = signal_name(WTERMSIG(status));
        char num[32];
        snprintf(num, sizeof(num), "signal %d", WTERMSIG(status));
        return ag_error_set(err, AG_ERROR, "%s: %s() crashed (%s)%s", job->path, fn,
                            name ? name : num, nothing);
    }
    return ag_error_set(err, AG_ERROR, "%s: %s() ended the process (exit status %d)%s", job->path,
                        fn, WIFEXITED(status) ? WEXITSTATUS(status) : -1, nothing);
}

/* Read everything the child writes, until it closes the pipe. */
static void read_all(int fd, ag_buf *out)
{
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return;
        ag_buf_put(out, chunk, (size_t)r);
    }
}

int ag_migration_collect_isolated(ag_compiler *c,
                                  ag_record_job *jobs,
                                  size_t n,
                                  const char *dialect,
                                  unsigned timeout_s,
                                  ag_error *err)
{
    /* Files of plain ag_* calls run no code of their own (direct.c): they are
     * recorded here, in order, without a child. The first file that needs the
     * compiler and everything after it go to the child. */
    while (n > 0) {
        size_t len = 0;
        char *text = ag_read_file(jobs->path, &len, NULL);
        bool done = false;
        int rc = text ? ag_migration_direct(jobs->path, text, len, jobs->dir, dialect, jobs->ops,
                                            &done, err)
                      : AG_OK;
        free(text);
        if (!done)
            break;
        if (rc != AG_OK)
            return rc;
        jobs->cacheable = ag_compiler_caches(c);
        jobs++;
        n--;
    }
    if (n == 0)
        return AG_OK;
    int fds[2];
    if (pipe(fds) != 0)
        return ag_error_set(err, AG_EIO, "cannot start recording migrations: %s", strerror(errno));
    fflush(NULL); /* nothing buffered is written twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return ag_error_set(err, AG_EIO, "cannot start recording migrations: %s", strerror(e));
    }
    if (pid == 0) {
        close(fds[0]);
        child(c, jobs, n, dialect, timeout_s, fds[1], parent);
    }
    close(fds[1]);
    ag_buf in = AG_BUF_INIT;
    read_all(fds[0], &in);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc = AG_OK;
    size_t pos = 0, done = 0;
    while (rc == AG_OK && done < n) {
        result_head h;
        if (in.len - pos < sizeof(h)) {
            rc = ended(&jobs[done], status, timeout_s, err);
            break;
        }
        memcpy(&h, in.ptr + pos, sizeof(h));
        pos += sizeof(h);
        if (h.index != done || in.len - pos < h.oplen) {
            rc = ended(&jobs[done], status, timeout_s, err);
            break;
        }
        if (h.rc != AG_OK) {
            rc = h.rc;
            if (err)
                *err = h.err;
            break;
        }
        if (!ag_oplist_decode(jobs[done].ops, in.ptr + pos, h.oplen)) {
            rc = ag_error_set(err, AG_ERROR, "%s: the recorded operations came back damaged",
                              jobs[done].path);
            break;
        }
        jobs[done].cacheable = h.cacheable;
        pos += h.oplen;
        done++;
    }
    ag_buf_dispose(&in);
    return rc;
}
