/* cmd_init.c - `autogen init [DIR]`: scaffold a project in the current folder. */
#include "../util/common.h"
#include "cli.h"

#include "../util/buf.h"
#include "../util/fs.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_opt opts[] = { { NULL, 0, NULL, NULL } };

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "autogen: error: cannot create '%s': %s\n", path, strerror(errno));
    return -1;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *values[1], *pos[1];
    int npos;
    int rc = cli_parse(ctx, &cmd_init, argc, argv, values, pos, &npos, 1);
    if (rc != EXIT_OK)
        return rc;
    const char *dir = npos ? pos[0] : "alembic_like";
    if (!dir[0] || strchr(dir, '\n') || strchr(dir, '"'))
        return cli_usage_error(&cmd_init, "'%s' is not a usable folder name", dir);
    const char *config = ctx->config ? ctx->config : "autogen.yaml";
    if (access(config, F_OK) == 0) {
        fprintf(stderr,
                "autogen: error: '%s' already exists; nothing was changed (edit it, or run init "
                "in another folder)\n",
                config);
        return EXIT_ERROR;
    }
    ag_buf path = AG_BUF_INIT, yaml = AG_BUF_INIT;
    ag_error err = { 0 };
    rc = EXIT_OK;
    if (make_dir("models") != 0 || make_dir(dir) != 0) {
        rc = EXIT_ERROR;
        goto done;
    }
    ag_buf_printf(&path, "%s/versions", dir);
    if (make_dir(path.ptr) != 0) {
        rc = EXIT_ERROR;
        goto done;
    }
    ag_buf_clear(&path);
    ag_buf_printf(&path, "%s/script.c.tmpl", dir);
    if (access(path.ptr, F_OK) != 0 &&
        ag_write_file_atomic(path.ptr, ag_default_template, strlen(ag_default_template), &err) !=
            AG_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    ag_buf_printf(&yaml,
                  "# autogen configuration: see the README for every setting.\n"
                  "models: models                # a folder of *.yaml model files\n"
                  "script_location: %s   # the migration environment\n"
                  "url: sqlite:///app.db         # AUTOGEN_URL, then --url, override it\n"
                  "version_table: autogen_version\n",
                  dir);
    if (ag_write_file_atomic(config, yaml.ptr, yaml.len, &err) != AG_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (!ctx->quiet)
        printf("Created %s, models/, %s/script.c.tmpl and %s/versions/\n"
               "Next: describe tables in models/*.yaml, then run 'autogen revision -m \"first\"'\n",
               config, dir, dir);
done:
    ag_buf_dispose(&path);
    ag_buf_dispose(&yaml);
    return rc;
}

const cli_cmd cmd_init = { "init", run, "[DIR]",
                           "scaffold autogen.yaml, models/ and a migration environment", opts };
