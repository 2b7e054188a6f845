// api_cxx.cpp - the public headers compile as C++11 (docs/api.md): extern "C",
// no C-only syntax, and the _INIT macros usable as C++ initializers.
#include <autogen/autogen.h>
#include <autogen/migration.h>

static void on_event(const ag_event *event, void *payload)
{
    (void)event;
    (void)payload;
}

static int on_sql(const char *sql, size_t len, void *payload)
{
    (void)sql;
    (void)len;
    (void)payload;
    return 0;
}

int main()
{
    ag_project_options po = AG_PROJECT_OPTIONS_INIT;
    po.on_event = on_event;
    po.flags = AG_OPT_NO_ENV;
    ag_init_options io = AG_INIT_OPTIONS_INIT;
    ag_revision_options ro = AG_REVISION_OPTIONS_INIT;
    ag_merge_options mo = AG_MERGE_OPTIONS_INIT;
    ag_history_options ho = AG_HISTORY_OPTIONS_INIT;
    ag_stamp_options so = AG_STAMP_OPTIONS_INIT;
    ag_strarray paths = { nullptr, 0 };
    ag_error err = ag_error();
    ag_project *p = nullptr;
    ag_sql_cb cb = on_sql;
    int rc = ag_project_open(&p, &po, &err);
    (void)io, (void)ro, (void)mo, (void)ho, (void)so, (void)cb;
    ag_strarray_free(&paths);
    ag_project_free(p);
    return rc == AG_OK ? 0 : 1;
}
