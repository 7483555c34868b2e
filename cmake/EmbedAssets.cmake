# embed_assets(<target> <namespace> <function> <files...>)
# Like embed_files, for large files (the API documentation's scripts): the assembler includes each
# file as it is (.incbin), so neither CMake nor the compiler handles its bytes. The generated
# function returns {file name without its directory, contents} for each file.
function(embed_assets target ns fn)
  set(ARG_FILES ${ARGN})
  set(asm "${CMAKE_CURRENT_BINARY_DIR}/${target}_${fn}.S")
  set(cpp "${CMAKE_CURRENT_BINARY_DIR}/${target}_${fn}.cpp")
  set(asm_body ".section .rodata\n")
  set(cpp_body "#include <string_view>\n#include <vector>\n#include \"common/embedded_file.hpp\"\n\n")
  set(entries "")
  set(index 0)
  foreach(file IN LISTS ARG_FILES)
    set(symbol "${fn}_${index}")
    string(APPEND asm_body ".global ${symbol}_begin\n.global ${symbol}_end\n.balign 16\n"
                           "${symbol}_begin:\n.incbin \"${file}\"\n${symbol}_end:\n.byte 0\n")
    string(APPEND cpp_body "extern \"C\" const char ${symbol}_begin[];\nextern \"C\" const char ${symbol}_end[];\n")
    get_filename_component(name "${file}" NAME)
    string(APPEND entries "      {\"${name}\", std::string_view(${symbol}_begin, static_cast<std::size_t>(${symbol}_end - ${symbol}_begin))},\n")
    math(EXPR index "${index} + 1")
  endforeach()
  string(APPEND asm_body ".section .note.GNU-stack,\"\",@progbits\n")
  string(APPEND cpp_body "\nnamespace ${ns} {\n\nconst std::vector<authsvc::EmbeddedFile>& ${fn}() {\n"
                         "  static const std::vector<authsvc::EmbeddedFile> files{\n${entries}  };\n"
                         "  return files;\n}\n\n}  // namespace ${ns}\n")
  file(CONFIGURE OUTPUT "${asm}" CONTENT "${asm_body}")
  file(CONFIGURE OUTPUT "${cpp}" CONTENT "${cpp_body}")
  # The assembler does not see .incbin's file as a dependency: name them.
  set_source_files_properties("${asm}" PROPERTIES OBJECT_DEPENDS "${ARG_FILES}")
  target_sources(${target} PRIVATE "${asm}" "${cpp}")
endfunction()
