#include "storage/postgres/postgres_span_target.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <string_view>

namespace authsvc::storage {

SqlSpanTarget postgres_span_target(const std::string& conninfo) {
  SqlSpanTarget target{"postgresql", "", 5432, ""};
  char* error = nullptr;
  const std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
  PQfreemem(error);
  if (!options) return target;
  std::string user;
  for (const auto* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr || *option->val == '\0') continue;
    const std::string_view key(option->keyword);
    const std::string_view value(option->val);
    if (key == "host" || (key == "hostaddr" && target.server_address.empty())) {
      target.server_address = std::string(value.substr(0, value.find(',')));
    } else if (key == "port") {
      int port = 0;
      const auto first = value.substr(0, value.find(','));
      if (std::from_chars(first.data(), first.data() + first.size(), port).ec == std::errc()) {
        target.server_port = port;
      }
    } else if (key == "dbname") {
      target.database = std::string(value);
    } else if (key == "user") {
      user = std::string(value);
    }
  }
  if (target.database.empty()) target.database = user;  // libpq's default database
  if (target.server_address.empty()) target.server_address = "localhost";
  return target;
}

}  // namespace authsvc::storage
