# fake_casesvc: fake Klantinteracties case service (HTTPS peer with fault injection) for the
# integration tests. Meant to be include()d from tests/support/CMakeLists.txt.
# Own CASESVC_* prefixes so these checks never clash with the top-level ones.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CASESVC_MHD REQUIRED IMPORTED_TARGET libmicrohttpd>=0.9.71)
pkg_check_modules(CASESVC_GNUTLS REQUIRED IMPORTED_TARGET gnutls>=3.6)
pkg_check_modules(CASESVC_JANSSON REQUIRED IMPORTED_TARGET jansson>=2.10)
find_package(Threads REQUIRED)

add_executable(fake_casesvc ${CMAKE_CURRENT_LIST_DIR}/fake_casesvc.c)
target_link_libraries(fake_casesvc PRIVATE PkgConfig::CASESVC_MHD PkgConfig::CASESVC_GNUTLS
                                           PkgConfig::CASESVC_JANSSON Threads::Threads)
