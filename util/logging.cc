#include "util/logging.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace util {
namespace {

std::atomic<int> log_fd{2};
std::atomic<bool> debug_on{false};
std::atomic<bool> json_on{false};

const char* JsonLevel(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
    case LogLevel::kFatal: return "fatal";
  }
  return "info";
}

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "D";
    case LogLevel::kInfo: return "I";
    case LogLevel::kWarning: return "W";
    case LogLevel::kError: return "E";
    case LogLevel::kFatal: return "F";
  }
  return "?";
}

}  // namespace

bool SetLogFile(const std::string& path) {
  if (path.empty()) {
    log_fd = 2;
    return true;
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  log_fd = fd;
  return true;
}

void SetDebugLogging(bool on) { debug_on = on; }
void SetLogJson(bool on) { json_on = on; }

std::string JsonLogLine(const char* level, const std::string& msg) {
  std::string out = absl::StrCat("{\"level\":\"", level, "\",\"msg\":\"");
  for (unsigned char c : msg) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char when[64];
  strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
  absl::StrAppend(&out, "\",\"time\":\"", when, absl::StrFormat(".%09ldZ", ts.tv_nsec),
                  "\"}\n");
  return out;
}
bool DebugLoggingEnabled() { return debug_on.load(std::memory_order_relaxed); }

void WriteLogLine(std::string_view line) {
  // One write per line keeps lines from concurrent threads whole.
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(log_fd.load(), p, left);
    if (n <= 0) return;
    p += n;
    left -= n;
  }
}

LogMessage::LogMessage(LogLevel level, const char* file, int line) : level_(level) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  const char* base = file;
  for (const char* c = file; *c; ++c)
    if (*c == '/') base = c + 1;
  if (json_on.load()) {
    where_ = absl::StrFormat("%s:%d: ", base, line);
    return;
  }
  os_ << absl::StrFormat("%s%ld.%06ld %d %s:%d] ", LevelName(level), ts.tv_sec, ts.tv_nsec / 1000,
                         static_cast<int>(syscall(SYS_gettid)), base, line);
}

LogMessage::~LogMessage() {
  if (json_on.load()) {
    WriteLogLine(JsonLogLine(JsonLevel(level_), where_ + os_.str()));
  } else {
    os_ << '\n';
    WriteLogLine(os_.str());
  }
  if (level_ == LogLevel::kFatal) std::abort();
}

}  // namespace util
