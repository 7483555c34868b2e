# Warnings are an interface target so every project library opts in by linking it.
# (-Wnull-dereference is left out: g++ 12 reports false positives inside libstdc++ at -O2.)
add_library(auth_warnings INTERFACE)
target_compile_options(auth_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
# g++ 12 pairs Asio's coroutine-frame operator new/delete wrongly once optimising (a false
# positive on every awaitable), so this one check is off.
target_compile_options(auth_warnings INTERFACE -Wno-mismatched-new-delete)
if(AUTH_WARNINGS_AS_ERRORS)
  target_compile_options(auth_warnings INTERFACE -Werror)
endif()
