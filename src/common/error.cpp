#include "common/error.hpp"

namespace authsvc {
namespace {

class InfraCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "infra"; }
  std::string message(int value) const override {
    switch (static_cast<InfraErrc>(value)) {
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
};

}  // namespace

const std::error_category& infra_category() noexcept {
  static const InfraCategory category;
  return category;
}

std::error_code make_error_code(InfraErrc e) noexcept {
  return {static_cast<int>(e), infra_category()};
}

}  // namespace authsvc
