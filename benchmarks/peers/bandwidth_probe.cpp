// The memory-bandwidth floor of the peer comparison (issue 7): for each
// workload, one streaming read of exactly the column bytes WORKLOADS.md
// "Minimal bytes read" lists (and, for ingest, of the CSV file's bytes), with
// T threads each summing a contiguous slice. No engine can compute a workload
// faster than it can read its inputs once, so this is the roofline's lower
// bound, measured on the same machine and data as the engines.
//
// Standalone on purpose (no salesight code, only the C++ standard library) so
// the floor cannot inherit a salesight bug; scripts/bench_peers.sh builds it:
//   g++ -std=c++20 -O3 -march=native -pthread bandwidth_probe.cpp -o bandwidth_probe
//   bandwidth_probe --data DIR [--csv FILE]
// It speaks run_peers.py's engine protocol: one JSON line per stdin command
// ("run <workload> <threads>", "write <workload> <dir>", "quit"); it has no
// output tables.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// One column (or file) resident in memory, padded to whole 64-bit words with
// zeros so the reader needs no tail loop.
struct Buffer {
  std::vector<std::uint64_t> words;
  std::size_t bytes = 0;
};

bool LoadFile(const std::string& path, Buffer& out, std::string& error) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    error = "cannot open " + path;
    return false;
  }
  out.bytes = static_cast<std::size_t>(in.tellg());
  out.words.assign((out.bytes + 7) / 8, 0);
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(out.words.data()), static_cast<std::streamsize>(out.bytes))) {
    error = "cannot read " + path;
    return false;
  }
  return true;
}

// Four independent accumulators so the adds are not one dependency chain; the
// compiler vectorizes this at -O3, which is what "streaming read" means here.
std::uint64_t SumWords(const std::uint64_t* p, std::size_t n) {
  std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += p[i];
    s1 += p[i + 1];
    s2 += p[i + 2];
    s3 += p[i + 3];
  }
  for (; i < n; ++i) s0 += p[i];
  return s0 + s1 + s2 + s3;
}

// Reads every buffer of `columns` once, split over `threads` threads by word
// ranges; returns the sum so the reads cannot be optimized away.
std::uint64_t ReadAll(const std::vector<const Buffer*>& columns, int threads) {
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(threads), 0);
  auto work = [&](int t) {
    std::uint64_t s = 0;
    for (const Buffer* b : columns) {
      const std::size_t n = b->words.size();
      const std::size_t begin = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads);
      const std::size_t end = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
      s += SumWords(b->words.data() + begin, end - begin);
    }
    sums[static_cast<std::size_t>(t)] = s;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  std::uint64_t total = 0;
  for (std::uint64_t s : sums) total += s;
  return total;
}

long RssBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * 4096;
}

void Reply(const std::string& json) {
  std::cout << json << '\n' << std::flush;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, csv;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--data") data = argv[i + 1];
    else if (flag == "--csv") csv = argv[i + 1];
    else if (flag == "--as-of") {  // accepted for symmetry with the engines; unused
    } else {
      Reply("{\"ok\":false,\"error\":\"unknown flag " + JsonEscape(flag) + "\"}");
      return 2;
    }
  }
  if (data.empty()) {
    Reply("{\"ok\":false,\"error\":\"usage: bandwidth_probe --data DIR [--csv FILE]\"}");
    return 2;
  }
  // WORKLOADS.md "Minimal bytes read": the columns each workload must read.
  const std::map<std::string, std::vector<std::string>> kColumns = {
      {"rfm", {"orders/customer_id", "orders/order_date", "orders/amount_cents"}},
      {"funnel",
       {"opportunities/region_id", "opportunities/created_date", "opportunities/lead_date",
        "opportunities/opportunity_date", "opportunities/quote_date",
        "opportunities/contract_date", "opportunities/won_date", "opportunities/paid_date"}},
      {"margin",
       {"orders/product_id", "orders/amount_cents", "orders/quantity", "orders/unit_cost_cents",
        "orders/region_id", "orders/order_date"}},
      {"ar",
       {"invoices/customer_id", "invoices/salesperson_id", "invoices/invoice_date",
        "invoices/due_date", "invoices/amount_cents", "invoices/paid_cents",
        "invoices/paid_date"}},
      {"trend", {"orders/order_date", "orders/amount_cents"}},
  };
  std::map<std::string, Buffer> files;
  std::map<std::string, std::vector<const Buffer*>> workloads;
  std::string error;
  for (const auto& [workload, columns] : kColumns) {
    for (const std::string& column : columns) {
      auto [it, inserted] = files.try_emplace(column);
      if (inserted && !LoadFile(data + "/" + column + ".bin", it->second, error)) {
        Reply("{\"ok\":false,\"error\":\"" + JsonEscape(error) + "\"}");
        return 1;
      }
      workloads[workload].push_back(&it->second);
    }
  }
  if (!csv.empty()) {
    auto [it, inserted] = files.try_emplace("ingest.csv");
    if (!LoadFile(csv, it->second, error)) {
      Reply("{\"ok\":false,\"error\":\"" + JsonEscape(error) + "\"}");
      return 1;
    }
    workloads["ingest"].push_back(&it->second);
  }
  std::string bytes_json;
  for (const auto& [workload, columns] : workloads) {
    std::size_t bytes = 0;
    for (const Buffer* b : columns) bytes += b->bytes;
    bytes_json += (bytes_json.empty() ? "" : ",") + ("\"" + workload + "\":" + std::to_string(bytes));
  }
  Reply("{\"ok\":true,\"ready\":true,\"engine\":\"floor\",\"version\":\"streaming read\",\"bytes\":{" + bytes_json +
        "},\"rss_after_load\":" + std::to_string(RssBytes()) + "}");

  volatile std::uint64_t sink = 0;
  std::map<std::string, std::vector<double>> times;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string cmd, name, arg;
    words >> cmd >> name >> arg;
    if (cmd == "quit") break;
    auto it = workloads.find(name);
    if (it == workloads.end()) {
      Reply("{\"ok\":true,\"not_yet\":true}");
    } else if (cmd == "run") {
      const int threads = std::atoi(arg.c_str());
      if (threads < 1) {
        Reply("{\"ok\":false,\"error\":\"run: thread count '" + JsonEscape(arg) + "' is not >= 1\"}");
        continue;
      }
      const auto start = std::chrono::steady_clock::now();
      sink = sink + ReadAll(it->second, threads);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      times[name + " " + arg + "T"].push_back(ms);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6f", ms);
      Reply(std::string("{\"ok\":true,\"ms\":") + buf + "}");
    } else if (cmd == "write") {
      Reply("{\"ok\":true}");
    } else {
      Reply("{\"ok\":false,\"error\":\"unknown command " + JsonEscape(line) + "\"}");
    }
  }
  Reply("{\"ok\":true}");
  return 0;
}
