# cmake -DBUILT=<dir> -DCOMMITTED=<dir> -P CheckGeneratedDocs.cmake: fails
# naming every committed docs/generated/ page that differs from what the ODS
# descriptions generate now (run by check-dc through dc-docs-check).
set(stale "")
foreach(page DCDialect.md DCTransformsPasses.md DCConversionPasses.md
        DCKernelPasses.md)
  if(page STREQUAL "DCDialect.md")
    set(built "${BUILT}/Dialects/${page}")
  else()
    set(built "${BUILT}/${page}")
  endif()
  file(READ "${built}" now)
  file(READ "${COMMITTED}/${page}" committed)
  if(NOT now STREQUAL committed)
    list(APPEND stale "docs/generated/${page}")
  endif()
endforeach()
if(stale)
  list(JOIN stale ", " names)
  message(FATAL_ERROR "stale generated docs: ${names} differ from the ODS "
                      "descriptions; run `ninja dc-docs` and commit them")
endif()
