#include "http/router.hpp"

#include <cctype>
#include <stdexcept>

#include "common/ids.hpp"

namespace authsvc::http {
namespace {

// Splits "/a/b/" into {"a", "b", ""}: a trailing slash is a distinct (empty) last segment.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

}  // namespace

void Router::add(Route route) {
  Compiled compiled;
  for (const auto part : split_path(route.pattern)) {
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      const std::string_view inner = part.substr(1, part.size() - 2);
      const auto colon = inner.find(':');
      const std::string name(inner.substr(0, colon));
      if (colon == std::string_view::npos) {
        compiled.segments.push_back({Segment::Kind::any, name});
      } else if (inner.substr(colon + 1) == "uuid") {
        compiled.segments.push_back({Segment::Kind::uuid, name});
      } else {
        throw std::invalid_argument("unknown parameter type in route " + route.pattern);
      }
    } else {
      compiled.segments.push_back({Segment::Kind::literal, std::string(part)});
    }
  }
  if (compiled.segments.empty())
    throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(compiled));
}

bool Router::match_segments(const Compiled& compiled, std::string_view path,
                            std::vector<std::pair<std::string_view, std::string>>& params) const {
  const auto parts = split_path(path);
  if (parts.size() != compiled.segments.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Segment& segment = compiled.segments[i];
    switch (segment.kind) {
      case Segment::Kind::literal:
        if (parts[i] != segment.text) return false;
        break;
      case Segment::Kind::any:
        if (parts[i].empty()) return false;
        params.emplace_back(segment.text, std::string(parts[i]));
        break;
      case Segment::Kind::uuid: {
        if (!is_uuid(parts[i])) return false;
        // SPEC R6: UUIDs are lowercase. Normalised here so that every layer (caches keyed by id,
        // ownership checks against the token's `sub`, SQLite's text comparison) sees one spelling.
        std::string id(parts[i]);
        for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        params.emplace_back(segment.text, std::move(id));
        break;
      }
    }
  }
  return true;
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  std::vector<std::pair<std::string_view, std::string>> params;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!match_segments(compiled_[i], path, params)) continue;
    if (routes_[i].method == method || (method == "HEAD" && routes_[i].method == "GET")) {
      result.kind = RouteMatch::Kind::found;
      result.route = &routes_[i];
      result.params = std::move(params);
      return result;
    }
    result.kind = RouteMatch::Kind::method_not_allowed;
    if (result.allowed_methods.find(routes_[i].method) == std::string::npos) {
      if (!result.allowed_methods.empty()) result.allowed_methods += ", ";
      result.allowed_methods += routes_[i].method;
    }
  }
  return result;
}

}  // namespace authsvc::http
