# Turn the file IN into a C source OUT defining `const char ag_migration_h[]`.
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," content "${content}")
file(WRITE "${OUT}.tmp" "/* generated from migration.h by cmake/embed.cmake */\n"
     "extern const char ag_migration_h[];\nconst char ag_migration_h[] = {${content}0x00};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
