#include "keyattest/key_attestation/owner_root_pins.h"

#include <cctype>

#include "keyattest/core/errors.h"

namespace keyattest {

namespace {

std::string Trim(const std::string& s) {
  const std::size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

}  // namespace

std::optional<Bytes> ParseSpkiPinHex(std::string_view text) {
  std::string hex;
  for (char c : text) {
    if (c == ':') continue;
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (hex.size() > 64) return std::nullopt;
  }
  if (hex.size() != 64) return std::nullopt;
  return HexDecode(hex);
}

OwnerRootPin OwnerRootPinOf(Certificate certificate) {
  Bytes pin = certificate.spki_sha256();
  return {std::move(pin), std::move(certificate)};
}

OwnerRootPin OwnerRootPinFromPem(ByteSpan pem) { return OwnerRootPinOf(ParseSinglePemCertificate(pem)); }

std::vector<OwnerRootPin> ParseOwnerRoots(std::string_view text, const std::string& name) {
  std::vector<OwnerRootPin> pins;
  std::string block;  // a PEM block being read
  std::size_t block_line = 0;
  std::size_t number = 0;
  std::size_t start = 0;
  auto fail = [&name](std::size_t line, const std::string& why) {
    throw UsageError("--owner-roots " + name + " line " + std::to_string(line) + ": " + why);
  };
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string raw(text.substr(start, end - start));
    start = end + 1;
    ++number;
    if (!block.empty()) {
      block += Trim(raw) + "\n";
      if (Trim(raw) == "-----END CERTIFICATE-----") {
        try {
          pins.push_back(OwnerRootPinFromPem(AsBytes(block)));
        } catch (const std::exception& e) {
          fail(block_line, std::string("the PEM certificate starting here does not parse (") + e.what() + ")");
        }
        block.clear();
      }
      continue;
    }
    const std::string line = Trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    if (line == "-----BEGIN CERTIFICATE-----") {
      block = line + "\n";
      block_line = number;
      continue;
    }
    std::optional<Bytes> pin = ParseSpkiPinHex(line);
    if (!pin) {
      fail(number, "'" + line.substr(0, 80) +
                       "' is neither 64 hex digits of an SPKI SHA-256 nor a -----BEGIN CERTIFICATE----- line");
    }
    pins.push_back({std::move(*pin), std::nullopt});
  }
  if (!block.empty()) fail(block_line, "the PEM certificate starting here has no -----END CERTIFICATE----- line");
  if (pins.empty()) {
    throw UsageError("--owner-roots " + name + ": no pin in the file (only blank or comment lines)");
  }
  return pins;
}

}  // namespace keyattest
