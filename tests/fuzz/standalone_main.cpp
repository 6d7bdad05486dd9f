// A libFuzzer-compatible driver for compilers without libFuzzer (gcc): runs
// LLVMFuzzerTestOneInput on the files given, then on random inputs (mutated
// corpus files and fresh bytes) for a bounded time. Used under ASan/UBSan when
// the clang build is not available.
//   <target>_standalone [-seconds=N] [files...]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  double seconds = 10;
  std::vector<std::vector<std::uint8_t>> corpus;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "-seconds=", 9) == 0) {
      seconds = std::atof(argv[i] + 9);
      continue;
    }
    std::ifstream in(argv[i], std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(corpus.back().data(), corpus.back().size());
  }
  std::mt19937_64 rng(20240930);
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  long runs = 0;
  std::vector<std::uint8_t> input;
  while (std::chrono::steady_clock::now() < end) {
    if (!corpus.empty() && rng() % 4 != 0) {
      input = corpus[rng() % corpus.size()];
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips && !input.empty(); ++f) {
        input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
      }
      if (rng() % 3 == 0) input.resize(rng() % (input.size() + 16), static_cast<std::uint8_t>(rng()));
    } else {
      input.resize(rng() % 512);
      for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    }
    LLVMFuzzerTestOneInput(input.data(), input.size());
    ++runs;
  }
  std::printf("%ld random inputs, no failure\n", runs);
  return 0;
}
