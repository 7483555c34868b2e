# Warnings are an interface target so every project library opts in by linking it. C++ only: the
# assembler sources of cmake/EmbedAssets.cmake take none of these.
# (-Wnull-dereference is left out: g++ 12 reports false positives inside libstdc++ at -O2.)
# g++ 12 pairs Asio's coroutine-frame operator new/delete wrongly once optimising (a false
# positive on every awaitable), so -Wmismatched-new-delete is off.
set(auth_cxx_warnings -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2 -Wno-mismatched-new-delete)
if(AUTH_WARNINGS_AS_ERRORS)
  list(APPEND auth_cxx_warnings -Werror)
endif()
add_library(auth_warnings INTERFACE)
target_compile_options(auth_warnings INTERFACE "$<$<COMPILE_LANGUAGE:CXX>:${auth_cxx_warnings}>")
