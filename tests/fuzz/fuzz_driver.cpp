// A bounded, deterministic stand-in for libFuzzer, so the g++ (ASan + UBSan) test build runs the
// fuzz targets too: every file of the corpus directory, then N mutations of them (byte flips,
// random bytes, insertions, deletions, truncations, segment shuffles and duplications, splices,
// base64url-encoded JSON fragments). Same seed, same inputs, every run. Linked with one target.
//
// Usage: auth_<name>_fuzz_driver <corpus-dir> [mutations=20000] [seed=1]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::vector<std::string> split_segments(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto dot = token.find('.', start);
    parts.push_back(token.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string join_segments(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "." : "") + parts[i];
  return out;
}

class Mutator {
 public:
  Mutator(std::vector<std::string> seeds, std::uint32_t seed)
      : seeds_(std::move(seeds)), random_(seed) {}

  std::string next() {
    std::string input = pick_seed();
    const int rounds = 1 + static_cast<int>(below(4));
    for (int i = 0; i < rounds; ++i) mutate(input);
    if (input.size() > 70000) input.resize(70000);
    return input;
  }

 private:
  std::size_t below(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  const std::string& pick_seed() { return seeds_[below(seeds_.size())]; }
  char any_byte() { return static_cast<char>(below(256)); }
  char interesting_byte() {
    static constexpr std::string_view kBytes =
        ".=+/-_ \n\r\t\\\"{}[]:,0123456789eE-AQZazn\x00\x7f\x80\xc3\xed\xf0\xff";
    return kBytes[below(kBytes.size())];
  }

  void mutate(std::string& s) {
    switch (below(11)) {
      case 0:  // flip one bit
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1 << below(8));
        break;
      case 1:  // random byte
        if (!s.empty()) s[below(s.size())] = any_byte();
        break;
      case 2:  // insert an interesting byte
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(below(s.size() + 1)), interesting_byte());
        break;
      case 3:  // delete a range
        if (!s.empty()) {
          const auto at = below(s.size());
          s.erase(at, 1 + below(std::min<std::size_t>(16, s.size() - at)));
        }
        break;
      case 4:  // truncate
        s.resize(below(s.size() + 1));
        break;
      case 5: {  // shuffle the segments
        auto parts = split_segments(s);
        std::shuffle(parts.begin(), parts.end(), random_);
        s = join_segments(parts);
        break;
      }
      case 6: {  // duplicate or drop a segment
        auto parts = split_segments(s);
        const auto at = below(parts.size());
        if (below(2) == 0) {
          parts.insert(parts.begin() + static_cast<std::ptrdiff_t>(at), parts[at]);
        } else if (parts.size() > 1) {
          parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(at));
        }
        s = join_segments(parts);
        break;
      }
      case 7: {  // splice with another seed
        const auto& other = pick_seed();
        s = s.substr(0, below(s.size() + 1)) + other.substr(below(other.size() + 1));
        break;
      }
      case 8: {  // mutate inside a decoded segment and re-encode it
        auto parts = split_segments(s);
        const auto at = below(parts.size());
        auto decoded = authsvc::crypto::base64url_decode(parts[at]);
        if (decoded) {
          if (!decoded->empty()) (*decoded)[below(decoded->size())] = interesting_byte();
          decoded->insert(
              decoded->begin() + static_cast<std::ptrdiff_t>(below(decoded->size() + 1)),
              interesting_byte());
          parts[at] = authsvc::crypto::base64url_encode(*decoded);
          s = join_segments(parts);
        }
        break;
      }
      case 9: {  // replace a segment with an encoded JSON fragment
        static const char* kFragments[] = {R"({"alg":"none"})",
                                           R"({"alg":"HS256","kid":1})",
                                           R"({"alg":"HS256","crit":["x"]})",
                                           R"({"alg":"ES256","jku":"http://x"})",
                                           R"({"alg":"HS256","alg":"HS256"})",
                                           "[]",
                                           "{}",
                                           R"({"exp":"1","sub":null})",
                                           R"({"exp":1e400,"iat":-1e400})",
                                           R"({"sub":{"a":[[[[]]]]}})",
                                           "\xef\xbb\xbf{}",
                                           R"({"a":"\ud800"})",
                                           "{\"a\":NaN}",
                                           R"({"exp":18446744073709551616})"};
        auto parts = split_segments(s);
        parts[below(parts.size())] =
            authsvc::crypto::base64url_encode(kFragments[below(std::size(kFragments))]);
        s = join_segments(parts);
        break;
      }
      default:  // append padding or a separator
        s += below(2) == 0 ? "=" : ".";
        break;
    }
  }

  std::vector<std::string> seeds_;
  std::mt19937 random_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir> [mutations] [seed]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path corpus = argv[1];
  const long mutations = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 20000;
  const auto seed = static_cast<std::uint32_t>(argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1);

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // a stable order, whatever the file system's
  std::vector<std::string> seeds;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "no seed files in %s\n", corpus.c_str());
    return 1;
  }

  const auto start = std::chrono::steady_clock::now();
  for (const auto& input : seeds) run(input);
  Mutator mutator(seeds, seed);
  for (long i = 0; i < mutations; ++i) run(mutator.next());
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("jws fuzz driver: %zu seeds + %ld mutations, no finding (%.1f s)\n", seeds.size(),
              mutations, seconds);
  return 0;
}
