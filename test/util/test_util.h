// Helpers for the syscall tests (test/syscalls), in the style of gVisor's
// test/util. A syscall test checks what a call returns with gmock matchers:
//
//   EXPECT_THAT(write(1, "x", 1), SyscallSucceedsWithValue(1));
//   EXPECT_THAT(syscall(SYS_write, 1000, "x", 1), SyscallFailsWithErrno(EBADF));
//   EXPECT_THAT(getgroups(0, nullptr), SyscallSucceedsWithValue(Ge(0)));
//
//   Mapping m;
//   ASSERT_THAT(m.MapAnon(2 * kPageSize), SyscallSucceeds());
//   m.ptr()[0] = 1;  // unmapped when m goes out of scope
//
// A return value of -1 (or MAP_FAILED for pointers) is a failure, and errno is
// read when the matcher runs, so the call must be the matched expression
// itself. On a mismatch the errno is printed by name ("EBADF (Bad file
// descriptor)").
//
// These programs are linked statically and run both on the host kernel and in
// the sandbox, so nothing here may need more than a single-threaded process.
#ifndef TEST_UTIL_TEST_UTIL_H_
#define TEST_UTIL_TEST_UTIL_H_

#include <sys/mman.h>
#include <sys/types.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace test_util {

inline constexpr size_t kPageSize = 4096;

// "EBADF (Bad file descriptor)"; "errno 4242 (Unknown error 4242)" for values
// libc has no name for. Preserves errno.
std::string ErrnoName(int e);

// The target of /proc/self/exe, or "" (errno set) on failure.
std::string SelfExePath();

// The part of `path` after the last '/'.
std::string Basename(const std::string& path);

// Whether every page of [addr, addr+len) is mapped, by mincore(2).
bool RangeIsMapped(const void* addr, size_t len);

// Wraps f so that a call is retried while it fails with EINTR.
//
//   EXPECT_THAT(RetryEINTR(nanosleep)(&ts, nullptr), SyscallSucceeds());
template <typename F>
auto RetryEINTR(F&& f) {
  return [f = std::forward<F>(f)](auto&&... args) {
    while (true) {
      errno = 0;
      auto ret = f(args...);
      if (ret != -1 || errno != EINTR) return ret;
    }
  };
}

// An owned range of the address space, unmapped on destruction.
class Mapping {
 public:
  Mapping() = default;
  // Takes ownership of [addr, addr+len), which must be mapped.
  Mapping(void* addr, size_t len) : addr_(addr), len_(len) {}
  Mapping(Mapping&& o) noexcept : addr_(o.addr_), len_(o.len_) { o.Release(); }
  Mapping& operator=(Mapping&& o) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { Reset(); }

  // mmap(2)s a range and owns it (dropping what it owned before). Returns
  // mmap's result, so it can be matched: MAP_FAILED with errno on failure.
  void* Map(void* addr, size_t len, int prot, int flags, int fd = -1, off_t offset = 0);
  // A private anonymous mapping.
  void* MapAnon(size_t len, int prot = PROT_READ | PROT_WRITE) {
    return Map(nullptr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS);
  }

  bool valid() const { return addr_ != nullptr; }
  void* addr() const { return addr_; }
  char* ptr() const { return static_cast<char*>(addr_); }
  uintptr_t start() const { return reinterpret_cast<uintptr_t>(addr_); }
  uintptr_t end() const { return start() + len_; }
  size_t len() const { return len_; }

  // Unmaps the range now (preserving errno).
  void Reset();
  // Gives up ownership without unmapping.
  void Release() {
    addr_ = nullptr;
    len_ = 0;
  }

 private:
  void* addr_ = nullptr;
  size_t len_ = 0;
};

namespace internal {

// A syscall's return value as an integer: pointers (mmap) are converted so
// that MAP_FAILED is -1.
template <typename T>
int64_t SyscallValue(const T& v) {
  if constexpr (std::is_pointer_v<T>) {
    return static_cast<int64_t>(reinterpret_cast<intptr_t>(v));
  } else {
    static_assert(std::is_integral_v<T>, "a syscall returns an integer or a pointer");
    return static_cast<int64_t>(v);
  }
}

// Saves errno and puts it back on scope exit, so that describing a mismatch
// does not change the errno that a later re-run of the matcher reads.
class ErrnoSaver {
 public:
  ErrnoSaver() : saved_(errno) {}
  ~ErrnoSaver() { errno = saved_; }
  int value() const { return saved_; }

 private:
  int saved_;
};

class SyscallSuccessMatcher {
 public:
  explicit SyscallSuccessMatcher(::testing::Matcher<int64_t> value) : value_(std::move(value)) {}

  template <typename T>
  bool MatchAndExplain(const T& rv, ::testing::MatchResultListener* listener) const {
    ErrnoSaver saved;
    const int64_t v = SyscallValue(rv);
    if (v == -1) {
      *listener << "failed with " << ErrnoName(saved.value());
      return false;
    }
    ::testing::StringMatchResultListener inner;
    if (!value_.MatchAndExplain(v, &inner)) {
      *listener << "succeeded with " << v;
      if (!inner.str().empty()) *listener << ", " << inner.str();
      return false;
    }
    return true;
  }
  void DescribeTo(std::ostream* os) const {
    ErrnoSaver saved;
    *os << "succeeds with a value that ";
    value_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    ErrnoSaver saved;
    *os << "fails, or succeeds with a value that ";
    value_.DescribeNegationTo(os);
  }

 private:
  ::testing::Matcher<int64_t> value_;
};

class SyscallFailureMatcher {
 public:
  explicit SyscallFailureMatcher(::testing::Matcher<int> errno_matcher)
      : errno_(std::move(errno_matcher)) {}

  template <typename T>
  bool MatchAndExplain(const T& rv, ::testing::MatchResultListener* listener) const {
    ErrnoSaver saved;
    const int64_t v = SyscallValue(rv);
    if (v != -1) {
      *listener << "succeeded with " << v;
      return false;
    }
    if (!errno_.Matches(saved.value())) {
      *listener << "failed with " << ErrnoName(saved.value());
      return false;
    }
    return true;
  }
  void DescribeTo(std::ostream* os) const {
    ErrnoSaver saved;
    *os << "fails with an errno that ";
    errno_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    ErrnoSaver saved;
    *os << "succeeds, or fails with an errno that ";
    errno_.DescribeNegationTo(os);
  }

 private:
  ::testing::Matcher<int> errno_;
};

// Matches an errno value, describing it by name.
class ErrnoIsMatcher {
 public:
  explicit ErrnoIsMatcher(int e) : e_(e) {}
  bool MatchAndExplain(int e, ::testing::MatchResultListener* /*listener*/) const {
    return e == e_;
  }
  void DescribeTo(std::ostream* os) const { *os << "is " << ErrnoName(e_); }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not " << ErrnoName(e_); }

 private:
  int e_;
};

}  // namespace internal

// An errno matcher that prints the errno's name: SyscallFailsWithErrno(
// AnyOf(ErrnoIs(EFAULT), ErrnoIs(EINVAL))).
inline ::testing::Matcher<int> ErrnoIs(int e) {
  return ::testing::MakePolymorphicMatcher(internal::ErrnoIsMatcher(e));
}

// The call succeeded: its value is not -1.
inline auto SyscallSucceeds() {
  return ::testing::MakePolymorphicMatcher(
      internal::SyscallSuccessMatcher(::testing::Matcher<int64_t>(::testing::_)));
}

// The call succeeded with a value matching `v` (a value or a matcher).
template <typename V>
auto SyscallSucceedsWithValue(const V& v) {
  return ::testing::MakePolymorphicMatcher(
      internal::SyscallSuccessMatcher(::testing::MatcherCast<int64_t>(v)));
}

// The call failed (returned -1) with any errno.
inline auto SyscallFails() {
  return ::testing::MakePolymorphicMatcher(
      internal::SyscallFailureMatcher(::testing::Matcher<int>(::testing::_)));
}

// The call failed with errno `e`.
inline auto SyscallFailsWithErrno(int e) {
  return ::testing::MakePolymorphicMatcher(internal::SyscallFailureMatcher(ErrnoIs(e)));
}

// The call failed with an errno matching `m` (e.g. AnyOf(EFAULT, EINVAL)).
template <typename M>
auto SyscallFailsWithErrno(const M& m) {
  return ::testing::MakePolymorphicMatcher(
      internal::SyscallFailureMatcher(::testing::MatcherCast<int>(m)));
}

}  // namespace test_util

#endif  // TEST_UTIL_TEST_UTIL_H_
