// Text with static storage duration (a string literal), held as a view.
// Reports keep such text without copying it: a view of static storage never
// dangles, however long the report lives (a batch hands reports to another
// thread; the chain cache shares verifications between reports).
#pragma once

#include <string_view>

namespace keyattest {

class StaticText {
 public:
  constexpr StaticText() = default;
  /// Implicit, so a literal reads as itself at the call site. consteval: the
  /// pointer must be a constant expression, and a constant pointer can only
  /// point to static storage, so text built at run time does not compile.
  consteval StaticText(const char* text) : text_(text) {}  // NOLINT(google-explicit-constructor)

  constexpr std::string_view view() const { return text_; }
  constexpr operator std::string_view() const { return text_; }  // NOLINT(google-explicit-constructor)
  constexpr bool empty() const { return text_.empty(); }

 private:
  std::string_view text_;
};

}  // namespace keyattest
