/* embed.c - an application that migrates its own database at start-up with
 * libautogen: open the project, upgrade to head, report where it stands.
 *
 *   embed path/to/autogen.yaml
 *
 * Build against an installed autogen: cc embed.c $(pkg-config --cflags --libs --static autogen)
 */
#include <autogen/autogen.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/autogen.yaml\n", argv[0]);
        return 2;
    }
    ag_project *project = NULL;
    ag_error err = { 0 };
    ag_project_options opts = { .config_path = argv[1], .url = NULL };
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
