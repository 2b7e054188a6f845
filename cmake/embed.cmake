# Turn the file IN into a C source OUT defining `const char ag_migration_h[]`.
file(READ "${IN}" content HEX)
# Character literals, not integers: bytes above 0x7f fit a (signed) char
# without a conversion that -Wconversion reports.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," content "${content}")
file(WRITE "${OUT}.tmp" "/* generated from migration.h by cmake/embed.cmake */\n"
     "extern const char ag_migration_h[];\nconst char ag_migration_h[] = {${content}0};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
