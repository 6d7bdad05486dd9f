// SALESIGHT_AVX2_CLONES: an AVX2 copy of a hot function beside the baseline
// x86-64 one, picked at load time (the library is built for baseline x86-64).
// Function multiversioning resolves through an ifunc during relocation,
// before a sanitizer runtime is up (TSan segfaults there), and clang rejects
// it beside noinline: plain code in those builds (SALESIGHT_NO_IFUNC is set
// by src/CMakeLists.txt for sanitized builds).
#pragma once

#if defined(SALESIGHT_NO_IFUNC) || defined(__clang__) || !defined(__x86_64__)
#define SALESIGHT_AVX2_CLONES
#else
#define SALESIGHT_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#endif
