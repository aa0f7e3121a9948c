#include "keyattest/core/byte_reader.h"

namespace keyattest {

ParseError::ParseError(std::size_t offset, std::string field, const std::string& what)
    : std::runtime_error(field + " at offset " + std::to_string(offset) + ": " + what),
      offset_(offset),
      field_(std::move(field)) {}

void ByteReader::ThrowShort(std::size_t n, const char* field) const {
  throw ParseError(absolute_position(), field,
                   "needs " + std::to_string(n) + " bytes but only " + std::to_string(remaining()) + " remain");
}

std::uint64_t ByteReader::UBe(std::size_t width, const char* field) {
  if (width == 0 || width > 8) {
    throw ParseError(absolute_position(), field, "integer width " + std::to_string(width) + " is not 1 to 8 bytes");
  }
  Need(width, field);
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += width;
  return v;
}

std::uint16_t ByteReader::U16le(const char* field) {
  Need(2, field);
  auto v = static_cast<std::uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
  pos_ += 2;
  return v;
}

std::uint32_t ByteReader::U32le(const char* field) {
  Need(4, field);
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | data_[pos_ + static_cast<std::size_t>(i)];
  pos_ += 4;
  return v;
}

std::uint64_t ByteReader::U64le(const char* field) {
  Need(8, field);
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | data_[pos_ + static_cast<std::size_t>(i)];
  pos_ += 8;
  return v;
}

DerLength ByteReader::DerLengthOctets(std::size_t max_octets, const char* field) {
  DerLength out;
  out.initial_at = absolute_position();
  out.initial = U8(field);
  if (out.initial < 0x80) {
    out.value = out.initial;
    return out;
  }
  if (out.initial == 0x80) {
    out.fault = DerLengthFault::kIndefinite;
    return out;
  }
  out.octets = out.initial & 0x7fU;
  if (out.octets > max_octets || out.octets > sizeof(std::size_t)) {
    out.fault = DerLengthFault::kTooManyOctets;
    return out;
  }
  // Octet by octet, so that a truncation names the octet that is missing.
  std::uint8_t first = 0;
  for (std::size_t i = 0; i < out.octets; ++i) {
    const std::uint8_t octet = U8(field);
    if (i == 0) first = octet;
    out.value = (out.value << 8) | octet;
  }
  if (first == 0 || out.value < 0x80) out.fault = DerLengthFault::kNonMinimal;
  return out;
}

ByteSpan ByteReader::Take(std::size_t n, const char* field) {
  Need(n, field);
  ByteSpan out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

}  // namespace keyattest
