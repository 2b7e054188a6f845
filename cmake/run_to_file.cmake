# Run EXE ARGS and write its standard output to OUT, failing the build if it fails.
execute_process(COMMAND ${EXE} ${ARGS} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${EXE} ${ARGS} failed (${rc})")
endif()
file(RENAME ${OUT}.tmp ${OUT})
