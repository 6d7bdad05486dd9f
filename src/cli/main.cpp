#include <cstdio>
int main() { std::puts("salesight"); return 0; }
