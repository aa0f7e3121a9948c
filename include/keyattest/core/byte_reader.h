// Bounds-checked cursor over untrusted bytes: big-endian reads (Marvell,
// DER) and little-endian ones named *le (AMD SEV-SNP reports, SGX quotes,
// the Open Enclave report header). Every read names the
// field it is reading so a failure reports "field at offset N".
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "keyattest/core/bytes.h"

namespace keyattest {

/// A structural error in untrusted binary input.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t offset, std::string field, const std::string& what);
  std::size_t offset() const { return offset_; }
  const std::string& field() const { return field_; }

 private:
  std::size_t offset_;
  std::string field_;
};

/// What is wrong with a DER length (X.690 §8.1.3 allows the definite form
/// only, §10.1 its shortest encoding).
enum class DerLengthFault {
  kNone,
  kIndefinite,     // the initial octet 0x80
  kTooManyOctets,  // a long form of more octets than the format allows
  kNonMinimal,     // a long form where fewer octets (or the short form) would do
};

/// The length octets of one DER TLV, as ByteReader::DerLength read them.
struct DerLength {
  std::size_t value = 0;       // the length (also set for kNonMinimal)
  std::uint8_t initial = 0;    // the initial length octet
  std::size_t initial_at = 0;  // its absolute offset
  std::size_t octets = 0;      // long-form octets after it (0: the short form)
  DerLengthFault fault = DerLengthFault::kNone;
};

class ByteReader {
 public:
  /// `base_offset` is added to every reported offset, so a reader over a
  /// sub-span still reports offsets relative to the whole blob.
  explicit ByteReader(ByteSpan data, std::size_t base_offset = 0) : data_(data), base_(base_offset) {}

  // Inline: a blob's attribute table is hundreds of these reads.
  std::uint8_t U8(const char* field) {
    Need(1, field);
    return data_[pos_++];
  }
  std::uint16_t U16(const char* field) { return static_cast<std::uint16_t>(BigEndian<2>(field)); }
  std::uint32_t U32(const char* field) { return static_cast<std::uint32_t>(BigEndian<4>(field)); }
  std::uint64_t U64(const char* field) { return BigEndian<8>(field); }
  /// A big-endian unsigned integer of `width` bytes (1 to 8), for fields
  /// whose width the format leaves open (Marvell enums, RSA exponents).
  std::uint64_t UBe(std::size_t width, const char* field);
  /// Little-endian reads (least significant byte first), as AMD's firmware
  /// structures (docs/snp.md "Report layout") and Intel's SGX quotes
  /// (docs/sgx-evidence.md) store their integers.
  std::uint16_t U16le(const char* field);
  std::uint32_t U32le(const char* field);
  std::uint64_t U64le(const char* field);
  /// Reads the length octets of a DER TLV at the cursor (after its tag): the
  /// short form, or a long form of 1 to `max_octets` octets. Throws
  /// ParseError naming `field` when the input ends inside them. An
  /// indefinite, too long or non-minimal length is returned as a fault, not
  /// thrown, so that each format words its own rejection; the cursor is then
  /// after the octets read (the initial one alone for the first two).
  DerLength DerLengthOctets(std::size_t max_octets, const char* field);
  /// Returns the next `n` bytes as a sub-span (no copy), checking `n` against
  /// what remains before slicing.
  ByteSpan Take(std::size_t n, const char* field);
  void Skip(std::size_t n, const char* field) { (void)Take(n, field); }

  std::size_t position() const { return pos_; }
  /// Offset of the cursor relative to the start of the whole blob.
  std::size_t absolute_position() const { return base_ + pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ == data_.size(); }

 private:
  void Need(std::size_t n, const char* field) const {
    if (n > remaining()) [[unlikely]] {
      ThrowShort(n, field);
    }
  }
  [[noreturn]] void ThrowShort(std::size_t n, const char* field) const;
  template <std::size_t kWidth>
  std::uint64_t BigEndian(const char* field) {
    Need(kWidth, field);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < kWidth; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += kWidth;
    return v;
  }
  ByteSpan data_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

}  // namespace keyattest
