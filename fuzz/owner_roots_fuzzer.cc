// Fuzz target: the --owner-roots file parser and --owner-root's hex form
// (key_attestation/owner_root_pins.h). Trust input, so the contract is
// strict: ParseOwnerRoots returns at least one pin, each a 32-byte SPKI
// SHA-256 (and, for a PEM block, the certificate whose SPKI hashes to it),
// or throws UsageError naming the file; ParseSpkiPinHex accepts exactly 64
// hex digits with optional colons and nothing else.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_common.h"
#include "keyattest/core/errors.h"
#include "keyattest/key_attestation/owner_root_pins.h"

namespace keyattest::fuzz {
namespace {

void CheckHexPin(std::string_view text) {
  std::size_t digits = 0;
  bool only_hex_and_colons = true;
  for (char c : text) {
    if (c == ':') continue;
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) only_hex_and_colons = false;
    ++digits;
  }
  const std::optional<Bytes> pin = ParseSpkiPinHex(text);
  const bool expected = only_hex_and_colons && digits == 64;
  KEYATTEST_FUZZ_CHECK(pin.has_value() == expected, "ParseSpkiPinHex accepted or refused against its contract");
  if (pin) KEYATTEST_FUZZ_CHECK(pin->size() == 32, "a hex pin is not 32 bytes");
}

void CheckOwnerRoots(std::string_view text) {
  std::vector<OwnerRootPin> pins;
  try {
    pins = ParseOwnerRoots(text, "roots.txt");
  } catch (const UsageError& e) {
    KEYATTEST_FUZZ_CHECK(std::string_view(e.what()).rfind("--owner-roots roots.txt", 0) == 0,
                         std::string("an error that does not name the file: ") + e.what());
    return;
  } catch (...) {
    UnexpectedException("ParseOwnerRoots");
  }
  KEYATTEST_FUZZ_CHECK(!pins.empty(), "an accepted file without a pin");
  for (const OwnerRootPin& pin : pins) {
    KEYATTEST_FUZZ_CHECK(pin.spki_sha256.size() == 32, "a pin that is not 32 bytes");
    if (pin.certificate) {
      KEYATTEST_FUZZ_CHECK(pin.certificate->spki_sha256() == pin.spki_sha256,
                           "a certificate pin that is not its certificate's SPKI SHA-256");
    }
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  keyattest::fuzz::CheckHexPin(text.substr(0, 200));
  keyattest::fuzz::CheckOwnerRoots(text);
  return 0;
}
