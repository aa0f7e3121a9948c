#include "cli/commands/owner_roots_file.h"

#include <cctype>

#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"

namespace keyattest::cli {

namespace {

constexpr std::size_t kMaxOwnerRootsBytes = std::size_t{1024} * 1024;

std::string Trim(const std::string& s) {
  const std::size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

/// 64 hex digits, colons allowed between them; nullopt otherwise.
std::optional<Bytes> HexPin(const std::string& text) {
  std::string hex;
  for (char c : text) {
    if (c == ':') continue;
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 64) return std::nullopt;
  return HexDecode(hex);
}

}  // namespace

std::vector<OwnerRootPin> ParseOwnerRoots(const std::string& text, const std::string& name) {
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
    const std::string raw = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!block.empty()) {
      block += Trim(raw) + "\n";
      if (Trim(raw) == "-----END CERTIFICATE-----") {
        try {
          Certificate root = ParseSinglePemCertificate(AsBytes(block));
          Bytes pin = root.spki_sha256();
          pins.push_back({std::move(pin), std::move(root)});
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
    std::optional<Bytes> pin = HexPin(line);
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

std::vector<OwnerRootPin> ReadOwnerRootsFile(const std::string& path) {
  std::string text;
  try {
    text = ReadInputFile(path, kMaxOwnerRootsBytes, "an owner roots file");
  } catch (const std::exception& e) {
    throw UsageError(std::string("--owner-roots: ") + e.what());
  }
  return ParseOwnerRoots(text, path);
}

}  // namespace keyattest::cli
