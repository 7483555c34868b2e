# ASan + UBSan for the test preset; applied globally so every object (and the fuzz harness) agrees.
if(AUTH_SANITIZERS)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
