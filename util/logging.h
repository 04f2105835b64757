// Minimal leveled logging for the runtime's own diagnostics (not the guest's
// output). Messages go to stderr, or to the file named by SetLogFile.
//
//   SK_LOG(WARNING) << "unimplemented syscall " << nr;
//   SK_DLOG << "detail only with --debug";
#ifndef UTIL_LOGGING_H_
#define UTIL_LOGGING_H_

#include <sstream>
#include <string>
#include <string_view>

namespace util {

enum class LogLevel { kDebug, kInfo, kWarning, kError, kFatal };

// Sends later messages to `path` (appending); empty means stderr.
bool SetLogFile(const std::string& path);
void SetDebugLogging(bool on);
// Later lines are JSON objects ({"level":"error","msg":"...","time":"..."}),
// as runc writes its --log with --log-format=json.
void SetLogJson(bool on);
// A JSON log line for `level` ("error", "warning", ...) and `msg`.
std::string JsonLogLine(const char* level, const std::string& msg);
bool DebugLoggingEnabled();
// Writes one whole line atomically to the log destination (write(2) only:
// safe in a signal handler).
void WriteLogLine(std::string_view line);

class LogMessage {
 public:
  LogMessage(LogLevel level, const char* file, int line);
  ~LogMessage();
  std::ostream& stream() { return os_; }

 private:
  LogLevel level_;
  std::string where_;
  std::ostringstream os_;
};

}  // namespace util

#define SK_LOG_LEVEL_DEBUG ::util::LogLevel::kDebug
#define SK_LOG_LEVEL_INFO ::util::LogLevel::kInfo
#define SK_LOG_LEVEL_WARNING ::util::LogLevel::kWarning
#define SK_LOG_LEVEL_ERROR ::util::LogLevel::kError
#define SK_LOG_LEVEL_FATAL ::util::LogLevel::kFatal
#define SK_LOG(level) ::util::LogMessage(SK_LOG_LEVEL_##level, __FILE__, __LINE__).stream()
#define SK_DLOG \
  if (!::util::DebugLoggingEnabled()) {} else SK_LOG(DEBUG)
#define SK_CHECK(cond) \
  if (cond) {} else SK_LOG(FATAL) << "check failed: " #cond " "

#endif  // UTIL_LOGGING_H_
