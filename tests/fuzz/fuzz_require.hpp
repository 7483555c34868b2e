#pragma once

namespace authsvc::fuzz {

// A violated invariant of a fuzz target: a crash, so libFuzzer and the CTest driver report it.
inline void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace authsvc::fuzz
