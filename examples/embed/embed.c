/* embed.c - an application that migrates its own database at start-up with
 * libautogen: open the project, upgrade to head, report where it stands.
 *
 *   embed path/to/autogen.yaml
 *
 * It prints one line per migration applied, from the progress events the
 * library reports (it prints nothing itself), then where the database is:
 *
 *   embed: applied a1b2c3d4e5f6 (users and properties) in 3 ms
 *   embed: applied 3f2a9c1e7b4d (add zoning) in 1 ms
 *   database at 3f2a9c1e7b4d; models match
 *
 * Build against an installed autogen (README.md beside this file):
 *   cc embed.c $(pkg-config --cflags --libs autogen)
 */
#include <autogen/autogen.h>

#include <stdio.h>

static void on_event(const ag_event *event, void *payload)
{
    (void)payload;
    if (event->kind == AG_EVENT_REVISION_DONE && event->status == AG_OK)
        printf("embed: %s %s (%s) in %.0f ms\n",
               event->direction == AG_EVENT_UPGRADE ? "applied" : "reverted", event->revision,
               event->message, event->elapsed_ms);
    else if (event->kind == AG_EVENT_WARNING)
        fprintf(stderr, "embed: warning: %s\n", event->text);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/autogen.yaml\n", argv[0]);
        return 2;
    }
    int major = 0, minor = 0;
    ag_version(&major, &minor, NULL);
    if (major != AG_VERSION_MAJOR || minor < AG_VERSION_MINOR) {
        fprintf(stderr, "embed: built for libautogen %s, running with %s\n", AG_VERSION,
                ag_version(NULL, NULL, NULL));
        return 1;
    }
    ag_project *project = NULL;
    ag_error err = { 0 };
    ag_project_options opts = AG_PROJECT_OPTIONS_INIT;
    opts.config_path = argv[1];
    opts.on_event = on_event;
    char current[256];
    int differs = 0;
    int rc = ag_project_open(&project, &opts, &err);
    if (rc == AG_OK)
        rc = ag_project_upgrade(project, "head", &err);
    if (rc == AG_OK)
        rc = ag_project_current(project, current, sizeof(current), &err);
    if (rc == AG_OK)
        rc = ag_project_check(project, &differs, &err);
    ag_project_free(project);
    if (rc != AG_OK) {
        fprintf(stderr, "embed: %s\n", err.msg);
        return 1;
    }
    printf("database at %s; %s\n", current[0] ? current : "<base>",
           differs ? "models differ" : "models match");
    return 0;
}
