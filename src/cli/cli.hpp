#pragma once

namespace authsvc::cli {

// `auth` — one binary: serve, db upgrade|status|migrate, create superuser. Exit codes: 0 ok,
// 1 failure (one line on stderr saying why), 2 usage error.
int run(int argc, char** argv);

}  // namespace authsvc::cli
