// runsc syscalls: the compatibility report, generated from the syscall
// table itself.
#include <cstdio>
#include <iostream>

#include "abi/linux/errno.h"
#include "abi/linux/syscalls.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "runsc/cli.h"
#include "sentry/syscalls/linux/linux64.h"

namespace runsc {

namespace {

struct Row {
  int nr;
  std::string name;
  std::string status;
  std::string note;
};

std::vector<Row> Report() {
  const auto& table = sentry::syscalls::Linux64();
  std::vector<Row> rows;
  for (int nr = 0; nr < abi_linux::kSyscallTableSize; ++nr) {
    std::string_view name = abi_linux::SyscallName(nr);
    if (name.empty()) continue;
    Row r{nr, std::string(name), "unimplemented", "returns ENOSYS"};
    if (const auto* e = table.Lookup(nr)) {
      switch (e->support) {
        case sentry::kernel::Support::kSupported:
          r.status = "supported";
          r.note = "";
          break;
        case sentry::kernel::Support::kPartial:
          r.status = "partial";
          r.note = std::string(e->note);
          break;
        case sentry::kernel::Support::kError:
          r.status = e->error == ENOSYS ? "unimplemented" : "error";
          r.note = absl::StrFormat("returns %s: %s", std::string(abi_linux::ErrnoName(e->error)),
                                   std::string(e->note));
          break;
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

int CmdSyscalls(const GlobalFlags&, const std::vector<std::string>& args) {
  auto parsed = ParseFlags(args, {{"format", true}});
  std::string format = parsed.ok() ? parsed->Get("format").value_or("table") : "";
  if (format != "table" && format != "json") {
    std::fprintf(stderr, "runsc syscalls: --format is table or json\n");
    return 2;
  }
  std::vector<Row> rows = Report();
  int counts[3] = {0, 0, 0};
  for (const Row& r : rows) {
    counts[r.status == "supported" ? 0 : r.status == "partial" ? 1 : 2]++;
  }
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const Row& r : rows) {
      out.push_back({{"number", r.nr}, {"name", r.name}, {"status", r.status}, {"note", r.note}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%-4s  %-24s  %-13s  %s\n", "NR", "NAME", "STATUS", "NOTE");
  for (const Row& r : rows) {
    std::printf("%-4d  %-24s  %-13s  %s\n", r.nr, r.name.c_str(), r.status.c_str(), r.note.c_str());
  }
  std::printf("\n%zu syscalls: %d supported, %d partial, %d unimplemented\n", rows.size(), counts[0],
              counts[1], counts[2]);
  return 0;
}

}  // namespace runsc
