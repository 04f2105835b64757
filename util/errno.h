// The sentry's error world: a failure is an Errno (a strong type around a
// positive Linux errno), carried by ErrnoOr<T>. The syscall dispatcher turns
// it into -errno for the guest.
//
//   ErrnoOr<size_t> Read(...) {
//     ASSIGN_OR_RETURN_ERRNO(auto n, DoRead());
//     if (n == 0) return Errno(EAGAIN);
//     return n;
//   }
#ifndef UTIL_ERRNO_H_
#define UTIL_ERRNO_H_

#include <cerrno>
#include <utility>
#include <variant>

namespace util {

class [[nodiscard]] Errno {
 public:
  constexpr explicit Errno(int value) : value_(value) {}
  constexpr int value() const { return value_; }
  friend constexpr bool operator==(Errno a, Errno b) { return a.value_ == b.value_; }

 private:
  int value_;
};

// Either a T or an Errno.
template <typename T>
class [[nodiscard]] ErrnoOr {
 public:
  ErrnoOr(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design.
  ErrnoOr(Errno err) : v_(err) {}             // NOLINT
  bool ok() const { return v_.index() == 0; }
  Errno error() const { return std::get<1>(v_); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::variant<T, Errno> v_;
};

// ErrnoOr<void>: success or an Errno.
template <>
class [[nodiscard]] ErrnoOr<void> {
 public:
  ErrnoOr() : err_(0) {}
  ErrnoOr(Errno err) : err_(err.value()) {}  // NOLINT
  bool ok() const { return err_ == 0; }
  Errno error() const { return Errno(err_); }

 private:
  int err_;
};

using ErrnoOrVoid = ErrnoOr<void>;

}  // namespace util

#define SK_ERRNO_CONCAT_INNER_(a, b) a##b
#define SK_ERRNO_CONCAT_(a, b) SK_ERRNO_CONCAT_INNER_(a, b)

// Returns the Errno of `expr` (an ErrnoOr<...>) from the enclosing function.
#define RETURN_IF_ERRNO(expr)                         \
  do {                                                \
    auto sk_errno_or_ = (expr);                       \
    if (!sk_errno_or_.ok()) return sk_errno_or_.error(); \
  } while (0)

#define ASSIGN_OR_RETURN_ERRNO(lhs, expr) \
  SK_ASSIGN_OR_RETURN_ERRNO_IMPL_(SK_ERRNO_CONCAT_(sk_errno_or_, __LINE__), lhs, expr)
#define SK_ASSIGN_OR_RETURN_ERRNO_IMPL_(var, lhs, expr) \
  auto var = (expr);                                    \
  if (!var.ok()) return var.error();                    \
  lhs = std::move(var).value()

#endif  // UTIL_ERRNO_H_
