#pragma once

#include <string_view>

namespace authsvc {

// A file compiled into the binary (migrations, static assets); see cmake/EmbedFiles.cmake.
struct EmbeddedFile {
  std::string_view path;
  std::string_view contents;
};

}  // namespace authsvc
