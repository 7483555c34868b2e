#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return authsvc::cli::run(argc, argv);
}
