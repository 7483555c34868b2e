#include "common/error.hpp"

namespace authsvc {

const char* error_category_name(InfraErrc) noexcept {
  return "infra";
}

const char* describe(InfraErrc e) noexcept {
  switch (e) {
    case InfraErrc::unavailable:
      return "backend unavailable";
    case InfraErrc::timeout:
      return "backend timeout";
    case InfraErrc::overloaded:
      return "overloaded";
    case InfraErrc::internal:
      return "internal error";
  }
  return "unknown infra error";
}

}  // namespace authsvc
