# Every dependency is a Debian bookworm package (scripts/install-deps); nothing is downloaded at build time.
find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url)
find_package(OpenSSL 3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
# GNU libunistring: Unicode NFC and case folding for canonical e-mail addresses.
find_library(UNISTRING_LIBRARY unistring REQUIRED)
find_path(UNISTRING_INCLUDE_DIR uninorm.h REQUIRED)
add_library(unistring::unistring UNKNOWN IMPORTED)
set_target_properties(unistring::unistring PROPERTIES IMPORTED_LOCATION ${UNISTRING_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${UNISTRING_INCLUDE_DIR})
