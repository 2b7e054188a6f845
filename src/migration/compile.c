/* compile.c - compiling migration files in process with libtcc, cached by content.
 *
 * A migration is compiled once into an object file kept under the cache
 * folder, named by a hash of its text and of the migration.h it was built
 * against; later runs only load and link that object, in memory. The
 * ag_* calls are bound by address (no dynamic symbol export needed), and
 * <autogen/migration.h> comes from a copy of the header built into the
 * library, so the build tree and an installed binary behave the same.
 */
#include "../util/common.h"
#include "migfile.h"

#include "../util/buf.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/hash.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <libtcc.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char ag_migration_h[];

/* Bump when the object format or the binding changes. */
#define AG_OBJECT_FORMAT "autogen-tcc-1"

struct ag_compiler {
    char *cache_dir;   /* compiled objects, or NULL */
    char *include_dir; /* holds autogen/migration.h */
    char *tmp_dir;     /* our own temp folder to remove, or NULL */
    uint64_t key_seed; /* the object key hashed over what every migration shares */
};

static int mkdirs(const char *path, ag_error *err)
{
    char *p = ag_xstrdup(path);
    for (char *c = p + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            int rc = ag_error_set(err, AG_EIO, "cannot create '%s': %s", p, strerror(e));
            free(p);
            return rc;
        }
        *c = '/';
    }
    int rc = AG_OK;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        rc = ag_error_set(err, AG_EIO, "cannot create '%s': %s", p, strerror(errno));
    free(p);
    return rc;
}

/* Write the embedded header under include_dir unless an identical copy is there. */
static int install_header(const char *include_dir, ag_error *err)
{
    ag_buf dir = AG_BUF_INIT, path = AG_BUF_INIT;
    ag_buf_printf(&dir, "%s/autogen", include_dir);
    ag_buf_printf(&path, "%s/migration.h", dir.ptr);
    int rc = mkdirs(dir.ptr, err);
    size_t len = 0, want = strlen(ag_migration_h);
    char *have = rc == AG_OK ? ag_read_file(path.ptr, &len, NULL) : NULL;
    if (rc == AG_OK && (!have || len != want || memcmp(have, ag_migration_h, want) != 0))
        rc = ag_write_file_atomic(path.ptr, ag_migration_h, want, err);
    free(have);
    ag_buf_dispose(&dir);
    ag_buf_dispose(&path);
    return rc;
}

int ag_compiler_new(ag_compiler **out, const char *cache_dir, ag_error *err)
{
    *out = NULL;
    ag_compiler *c = ag_xcalloc(1, sizeof(*c));
    c->key_seed = ag_fnv1a(AG_FNV1A_INIT, AG_OBJECT_FORMAT, sizeof(AG_OBJECT_FORMAT));
    c->key_seed = ag_fnv1a(c->key_seed, ag_migration_h, strlen(ag_migration_h));
    int rc;
    ag_buf inc = AG_BUF_INIT;
    if (cache_dir) {
        c->cache_dir = ag_xstrdup(cache_dir);
        rc = mkdirs(cache_dir, err);
        ag_buf_printf(&inc, "%s/include", cache_dir);
    } else {
        const char *tmp = getenv("TMPDIR");
        ag_buf t = AG_BUF_INIT;
        ag_buf_printf(&t, "%s/autogen-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (mkdtemp(t.ptr)) {
            c->tmp_dir = ag_buf_detach(&t);
            rc = AG_OK;
        } else {
            rc = ag_error_set(err, AG_EIO, "cannot create a temporary folder: %s", strerror(errno));
            ag_buf_dispose(&t);
        }
        if (c->tmp_dir)
            ag_buf_printf(&inc, "%s/include", c->tmp_dir);
    }
    if (rc == AG_OK) {
        c->include_dir = ag_buf_detach(&inc);
        rc = install_header(c->include_dir, err);
    }
    ag_buf_dispose(&inc);
    if (rc != AG_OK) {
        ag_compiler_free(c);
        return rc;
    }
    *out = c;
    return AG_OK;
}

static void remove_tree(const char *dir)
{
    ag_buf p = AG_BUF_INIT;
    ag_buf_printf(&p, "%s/include/autogen/migration.h", dir);
    unlink(p.ptr);
    ag_buf_clear(&p);
    ag_buf_printf(&p, "%s/include/autogen", dir);
    rmdir(p.ptr);
    ag_buf_clear(&p);
    ag_buf_printf(&p, "%s/include", dir);
    rmdir(p.ptr);
    rmdir(dir);
    ag_buf_dispose(&p);
}

bool ag_compiler_caches(const ag_compiler *c)
{
    return c->cache_dir != NULL;
}

void ag_compiler_free(ag_compiler *c)
{
    if (!c)
        return;
    if (c->tmp_dir)
        remove_tree(c->tmp_dir);
    free(c->cache_dir);
    free(c->include_dir);
    free(c->tmp_dir);
    free(c);
}

/* Diagnostics from tcc, collected for the error message. */
static void on_tcc_error(void *opaque, const char *msg)
{
    ag_buf *b = opaque;
    if (b->len)
        ag_buf_putc(b, '\n');
    ag_buf_puts(b, msg);
}

static TCCState *new_state(const ag_compiler *c, ag_buf *diag, int output, bool fast)
{
    TCCState *s = tcc_new();
    if (!s)
        return NULL;
    tcc_set_error_func(s, diag, on_tcc_error);
    /* In memory, libc comes from this process (tcc resolves what is left with
     * dlsym); loading libc's linker script and symbol tables into every state
     * would cost more than compiling the migration. */
    tcc_set_options(s, fast ? "-Wall -Wimplicit-function-declaration -nostdlib"
                            : "-Wall -Wimplicit-function-declaration");
    tcc_add_include_path(s, c->include_dir);
    tcc_set_output_type(s, output);
    return s;
}

/* The C library functions a migration usually calls, bound by address so that the
 * fast path need not load libc into the compiler state. A migration that calls
 * anything else links against the whole libc instead (the slow path). */
/* pure: the result depends only on the arguments, and nothing outside the
 * migration's own memory changes (see ag_migration_collect's `cacheable`). */
typedef struct libc_fn {
    const char *name;
    void *addr;
    bool pure;
} libc_fn;
#define LIBC(f, pure_)                                                                             \
    {                                                                                              \
#f, (void *)(uintptr_t)f, pure_                                                            \
    }
static const libc_fn libc_symbols[] = {
    LIBC(memset, true),   LIBC(memcpy, true), LIBC(memmove, true), LIBC(memcmp, true),
    LIBC(strlen, true),   LIBC(strcmp, true), LIBC(strncmp, true), LIBC(strchr, true),
    LIBC(strrchr, true),  LIBC(strstr, true), LIBC(strdup, true),  LIBC(strndup, true),
    LIBC(snprintf, true), LIBC(malloc, true), LIBC(calloc, true),  LIBC(realloc, true),
    LIBC(free, true),     LIBC(strtol, true), LIBC(strtoul, true), LIBC(strtod, true),
    LIBC(atoi, true),     LIBC(qsort, true),  LIBC(toupper, true), LIBC(tolower, true),
    LIBC(printf, false),  LIBC(puts, false),  LIBC(fputs, false),  LIBC(fprintf, false),
    LIBC(getenv, false),  LIBC(abort, false),
};

static void add_runtime(TCCState *s, bool fast)
{
    if (fast)
        for (size_t i = 0; i < AG_NELEM(libc_symbols); i++)
            tcc_add_symbol(s, libc_symbols[i].name, libc_symbols[i].addr);
#ifdef AG_LIBTCC1
    /* tcc's own runtime helpers (va_arg, some float conversions). */
    if (fast && access(AG_LIBTCC1, R_OK) == 0)
        tcc_add_file(s, AG_LIBTCC1);
#endif
    for (size_t i = 0; i < ag_migration_nsymbols; i++)
        tcc_add_symbol(s, ag_migration_symbols[i].name, ag_migration_symbols[i].addr);
}

/* tcc only warns about what C forbids and a migration cannot survive: a call
 * to a function nothing declared, which it then calls as returning int
 * (getenv() without <stdlib.h> truncates the pointer and the migration
 * crashes), and a pointer of one type passed where another belongs
 * (AG_COL(...) where AG_COLS(...) belongs is read as a list of names, and
 * crashes the recorder). Such a warning makes the file fail to compile,
 * worded as the error it is, with a hint. */
static const struct {
    const char *warning;
    const char *hint;
} fatal_warnings[] = {
    { "warning: implicit declaration of function",
      "include the header that declares it, as <stdlib.h> for getenv" },
    { "warning: assignment from incompatible pointer type",
      "an argument of the wrong type: AG_COLS(...) lists names, AG_COL(...) and the "
      "constraint macros are items of ag_create_table(), AG_COLUMN(...) is a column for "
      "ag_add_column()" },
    { "warning: assignment makes pointer from integer without a cast",
      "a number where a pointer belongs" },
    { "warning: assignment makes integer from pointer without a cast",
      "a pointer (a string?) where a number belongs" },
};

static bool fatal_warning(ag_buf *diag)
{
    if (!diag->len)
        return false;
    bool any = false;
    for (size_t k = 0; k < AG_NELEM(fatal_warnings); k++) {
        const char *warn = fatal_warnings[k].warning;
        if (!strstr(diag->ptr, warn))
            continue;
        ag_buf b = AG_BUF_INIT;
        const char *p = diag->ptr;
        for (const char *hit; (hit = strstr(p, warn)) != NULL; p = hit + strlen("warning")) {
            ag_buf_put(&b, p, (size_t)(hit - p));
            ag_buf_puts(&b, "error");
        }
        ag_buf_puts(&b, p);
        ag_buf_printf(&b, "\n(%s)", fatal_warnings[k].hint);
        ag_buf_dispose(diag);
        *diag = b;
        any = true;
    }
    return any;
}

static int compile_error(ag_error *err, const char *path, const ag_buf *diag)
{
    return ag_error_set(err, AG_ECOMPILE, "migration '%s' does not compile:\n%s", path,
                        diag->len ? diag->ptr : "(no diagnostics)");
}

/* Whether path holds a whole ELF relocatable object as tcc writes it: the
 * magic, a section header table inside the file and every section's bytes
 * inside it too. A full disk leaves an object empty or cut short, and tcc
 * does not report the failed write; such an entry is a cache miss. */
static bool object_complete(const char *path)
{
    size_t n = 0;
    unsigned char *o = (unsigned char *)ag_read_file(path, &n, NULL);
    Elf64_Ehdr eh;
    bool ok = o && n >= sizeof(eh);
    if (ok) {
        memcpy(&eh, o, sizeof(eh));
        ok = memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
             eh.e_type == ET_REL && eh.e_shentsize == sizeof(Elf64_Shdr) && eh.e_shnum > 0 &&
             eh.e_shoff <= n && (n - eh.e_shoff) / sizeof(Elf64_Shdr) >= eh.e_shnum;
    }
    for (size_t i = 0; ok && i < eh.e_shnum; i++) {
        Elf64_Shdr sh;
        memcpy(&sh, o + eh.e_shoff + i * sizeof(sh), sizeof(sh));
        if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > n || sh.sh_size > n - sh.sh_offset))
            ok = false;
    }
    free(o);
    return ok;
}

/* Compile path into the cached object obj (written atomically). */
static int compile_to_object(const ag_compiler *c, const char *path, const char *obj, ag_error *err)
{
    ag_buf diag = AG_BUF_INIT, tmp = AG_BUF_INIT;
    TCCState *s = new_state(c, &diag, TCC_OUTPUT_OBJ, false);
    int rc = AG_OK;
    if (!s) {
        rc = ag_error_set(err, AG_ENOMEM, "cannot start the migration compiler");
        goto done;
    }
    if (tcc_add_file(s, path) < 0 || fatal_warning(&diag)) {
        rc = compile_error(err, path, &diag);
        goto done;
    }
    ag_buf_printf(&tmp, "%s.%ld.tmp", obj, (long)getpid());
    if (tcc_output_file(s, tmp.ptr) < 0) {
        unlink(tmp.ptr);
        rc = ag_error_set(err, AG_EIO, "cannot write the compiled migration '%s': %s", tmp.ptr,
                          diag.len ? diag.ptr : strerror(errno));
        goto done;
    }
    if (!object_complete(tmp.ptr)) {
        unlink(tmp.ptr);
        rc = ag_error_set(err, AG_EIO,
                          "cannot write the compiled migration '%s': it came out incomplete (is "
                          "the disk full?); free some space and run again",
                          tmp.ptr);
        goto done;
    }
    if (rename(tmp.ptr, obj) != 0) {
        rc = ag_error_set(err, AG_EIO, "cannot write '%s': %s", obj, strerror(errno));
        unlink(tmp.ptr);
    }
done:
    if (s)
        tcc_delete(s);
    ag_buf_dispose(&diag);
    ag_buf_dispose(&tmp);
    return rc;
}

typedef void (*migration_fn)(struct ag_op *op);

enum load_result { LOADED, BAD_INPUT, NOT_LINKED };

/* Load src (a cached object, or the source itself) into a memory state and
 * relocate it: first binding the usual libc functions by address; if the
 * migration needs more, again with the whole libc. */
static enum load_result load(const ag_compiler *c, const char *src, ag_buf *diag, TCCState **out)
{
    *out = NULL;
    for (int pass = 0; pass < 2; pass++) {
        bool fast = pass == 0;
        ag_buf_clear(diag);
        TCCState *s = new_state(c, diag, TCC_OUTPUT_MEMORY, fast);
        if (!s)
            return BAD_INPUT;
        if (tcc_add_file(s, src) < 0 || fatal_warning(diag)) {
            tcc_delete(s);
            return BAD_INPUT;
        }
        add_runtime(s, fast);
        if (tcc_relocate(s, TCC_RELOCATE_AUTO) >= 0) {
            *out = s;
            return LOADED;
        }
        tcc_delete(s);
    }
    return NOT_LINKED;
}

/* --- whether recorded operations can be cached ------------------------------- */

/* tcc's own runtime helpers (libtcc1): arithmetic and va_arg. */
static bool tcc_helper(const char *name)
{
    static const char *const prefixes[] = { "__va_",  "__fix", "__float", "__ashl", "__ashr",
                                            "__lshr", "__div", "__mod",   "__udiv", "__umod" };
    for (size_t i = 0; i < AG_NELEM(prefixes); i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static bool pure_symbol(const char *name)
{
    for (size_t i = 0; i < ag_migration_nsymbols; i++)
        if (strcmp(name, ag_migration_symbols[i].name) == 0)
            return true;
    for (size_t i = 0; i < AG_NELEM(libc_symbols); i++)
        if (libc_symbols[i].pure && strcmp(name, libc_symbols[i].name) == 0)
            return true;
    return tcc_helper(name);
}

/* Whether the ELF relocatable object o[0..n) calls nothing but pure symbols:
 * every undefined symbol of its symbol table is one. tcc does not align its
 * section headers, so every structure is copied out before it is read. */
static bool object_is_pure(const unsigned char *o, size_t n)
{
    Elf64_Ehdr eh;
    if (n < sizeof(eh))
        return false;
    memcpy(&eh, o, sizeof(eh));
    if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > n ||
        (n - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum)
        return false;
    bool seen_symtab = false;
    for (size_t i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh, strtab;
        memcpy(&sh, o + eh.e_shoff + i * sizeof(sh), sizeof(sh));
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        seen_symtab = true;
        if (sh.sh_link >= eh.e_shnum || sh.sh_offset > n || n - sh.sh_offset < sh.sh_size)
            return false;
        memcpy(&strtab, o + eh.e_shoff + sh.sh_link * sizeof(strtab), sizeof(strtab));
        if (strtab.sh_offset > n || n - strtab.sh_offset < strtab.sh_size || strtab.sh_size == 0 ||
            o[strtab.sh_offset + strtab.sh_size - 1] != '\0')
            return false;
        const char *names = (const char *)o + strtab.sh_offset;
        for (size_t k = 1; k < sh.sh_size / sizeof(Elf64_Sym); k++) {
            Elf64_Sym sym;
            memcpy(&sym, o + sh.sh_offset + k * sizeof(sym), sizeof(sym));
            if (sym.st_shndx != SHN_UNDEF || sym.st_name == 0)
                continue;
            if (sym.st_name >= strtab.sh_size || !pure_symbol(names + sym.st_name))
                return false;
        }
    }
    return seen_symtab;
}

/* Whether the migration's text includes a file of the user's (#include "…"):
 * its operations could then change without its text changing. */
static bool includes_local_file(const char *text)
{
    for (const char *p = strchr(text, '#'); p; p = strchr(p + 1, '#')) {
        const char *q = p + 1;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncmp(q, "include", 7) != 0)
            continue;
        q += 7;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '<')
            return true;
    }
    return false;
}

static bool cacheable_object(const char *obj_path)
{
    size_t n = 0;
    char *o = ag_read_file(obj_path, &n, NULL);
    bool pure = o && object_is_pure((const unsigned char *)o, n);
    free(o);
    return pure;
}

/* Deeper than any migration is written, shallow enough for the compiler's
 * recursive parser (README "How migrations run"). */
#define AG_MAX_NESTING 256

/* Reject text whose brackets ((, [, {) nest deeper than AG_MAX_NESTING,
 * counted outside comments, string and character literals, before the compiler
 * recurses into them: an error at the bracket that goes too deep. */
static int check_nesting(const char *path, const char *text, size_t len, ag_error *err)
{
    unsigned depth = 0, line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == '\n') {
            line++;
            line_start = i + 1;
        } else if (ch == '/' && i + 1 < len && text[i + 1] == '/') {
            while (i + 1 < len && text[i + 1] != '\n')
                i++;
        } else if (ch == '/' && i + 1 < len && text[i + 1] == '*') {
            for (i += 2; i < len && !(text[i] == '*' && i + 1 < len && text[i + 1] == '/'); i++)
                if (text[i] == '\n') {
                    line++;
                    line_start = i + 1;
                }
            i++; /* onto the closing '/' (or past the end) */
        } else if (ch == '"' || ch == '\'') {
            for (i++; i < len && text[i] != ch && text[i] != '\n'; i++)
                if (text[i] == '\\' && i + 1 < len)
                    i++;
            if (i < len && text[i] == '\n') {
                line++;
                line_start = i + 1;
            }
        } else if (ch == '(' || ch == '[' || ch == '{') {
            if (++depth > AG_MAX_NESTING)
                return ag_error_set_at(err, AG_ECOMPILE, path, line, (unsigned)(i - line_start + 1),
                                       "parentheses, brackets and braces nest more than %d deep "
                                       "here: split the expression or the block",
                                       AG_MAX_NESTING);
        } else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    return AG_OK;
}

int ag_migration_collect(ag_compiler *c,
                         const char *path,
                         ag_direction dir,
                         const char *dialect,
                         ag_oplist *ops,
                         bool *cacheable,
                         ag_error *err)
{
    if (cacheable)
        *cacheable = false;
    size_t len = 0;
    char *text = ag_read_file(path, &len, err);
    if (!text)
        return err ? err->code : AG_EIO;
    /* Plain calls are recorded without the compiler (direct.c); their
     * operations depend on the text alone, so they can be cached. */
    bool direct = false;
    int drc = ag_migration_direct(path, text, len, dir, dialect, ops, &direct, err);
    if (direct) {
        if (cacheable)
            *cacheable = drc == AG_OK && c->cache_dir != NULL;
        free(text);
        return drc;
    }
    int nest = check_nesting(path, text, len, err);
    if (nest != AG_OK) {
        free(text);
        return nest;
    }
    ag_buf obj = AG_BUF_INIT, diag = AG_BUF_INIT;
    int rc = AG_OK;
    TCCState *s = NULL;
    enum load_result lr;
    /* The object cache is keyed by the migration's own text: one that includes
     * a file of the user's is compiled every time, so that editing that file
     * takes effect. */
    bool local_includes = includes_local_file(text);
    if (c->cache_dir && !local_includes) {
        uint64_t h = c->key_seed;                /* the object format and <autogen/migration.h> */
        h = ag_fnv1a(h, path, strlen(path) + 1); /* diagnostics and __FILE__ name the path */
        h = ag_fnv1a(h, text, len);
        ag_buf_printf(&obj, "%s/%016llx.o", c->cache_dir, (unsigned long long)h);
        /* A missing or damaged entry (empty or cut short by a full disk) is a
         * miss: compiled again and rewritten. */
        if (access(obj.ptr, R_OK) != 0 || !object_complete(obj.ptr)) {
            unlink(obj.ptr);
            rc = compile_to_object(c, path, obj.ptr, err);
        }
        if (rc != AG_OK)
            goto done;
        lr = load(c, obj.ptr, &diag, &s);
        if (lr == BAD_INPUT) {
            /* A damaged cache entry: compile again. */
            unlink(obj.ptr);
            rc = compile_to_object(c, path, obj.ptr, err);
            if (rc != AG_OK)
                goto done;
            lr = load(c, obj.ptr, &diag, &s);
        }
    } else {
        lr = load(c, path, &diag, &s);
    }
    if (lr == BAD_INPUT) {
        rc = compile_error(err, path, &diag);
        goto done;
    }
    if (lr == NOT_LINKED) {
        rc = ag_error_set(err, AG_ECOMPILE, "migration '%s' does not link:\n%s", path,
                          diag.len ? diag.ptr : "(no diagnostics)");
        goto done;
    }
    const char *fn_name = dir == AG_UPGRADE ? "upgrade" : "downgrade";
    void *sym = tcc_get_symbol(s, fn_name);
    if (!sym) {
        rc = ag_error_set(err, AG_EINVALID, "migration '%s' has no %s() function", path, fn_name);
        goto done;
    }
    migration_fn fn;
    memcpy(&fn, &sym, sizeof(fn));
    struct ag_op rec = { .ops = ops, .dialect = dialect, .file = path };
    fn(&rec);
    if (rec.failed) {
        rc = rec.err.code;
        if (err)
            *err = rec.err;
    } else if (cacheable && c->cache_dir && !local_includes) {
        *cacheable = cacheable_object(obj.ptr);
    }
done:
    if (s)
        tcc_delete(s);
    free(text);
    ag_buf_dispose(&obj);
    ag_buf_dispose(&diag);
    return rc;
}
