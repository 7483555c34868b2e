# embed_files(<target> <namespace> <function> <files...>)
# Generates a source that returns {relative name, contents} for each file, so the binary carries its
# migrations and static assets and works from any directory.
function(embed_files target ns fn)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} -DFN=${fn} -DBASE=${CMAKE_SOURCE_DIR}
            "-DFILES=${ARGN}" -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    DEPENDS ${ARGN} ${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    COMMENT "Embedding ${fn}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
