# ASan + UBSan for the test preset; applied globally so every object (and the fuzz harness) agrees.
if(AUTH_SANITIZERS)
  set(auth_sanitizer_flags -fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${auth_sanitizer_flags}>")
  add_link_options(-fsanitize=address,undefined)
endif()
