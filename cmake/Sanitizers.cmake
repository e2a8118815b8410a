# FZ_SANITIZE=address,undefined or thread: instrument everything built from here on. Any report
# aborts the process, so a test with a sanitizer report fails.
if(FZ_SANITIZE)
  add_compile_options(-fsanitize=${FZ_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${FZ_SANITIZE})
endif()
