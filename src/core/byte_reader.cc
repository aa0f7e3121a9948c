#include "keyattest/core/byte_reader.h"

namespace keyattest {

ParseError::ParseError(std::size_t offset, std::string field, const std::string& what)
    : std::runtime_error(field + " at offset " + std::to_string(offset) + ": " + what),
      offset_(offset),
      field_(std::move(field)) {}

void ByteReader::Need(std::size_t n, const char* field) const {
  if (n > remaining()) {
    throw ParseError(absolute_position(), field,
                     "needs " + std::to_string(n) + " bytes but only " + std::to_string(remaining()) + " remain");
  }
}

std::uint8_t ByteReader::U8(const char* field) {
  Need(1, field);
  return data_[pos_++];
}

std::uint16_t ByteReader::U16(const char* field) {
  Need(2, field);
  auto v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

std::uint32_t ByteReader::U32(const char* field) {
  Need(4, field);
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | data_[pos_ + static_cast<std::size_t>(i)];
  pos_ += 4;
  return v;
}

std::uint64_t ByteReader::U64(const char* field) {
  Need(8, field);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | data_[pos_ + static_cast<std::size_t>(i)];
  pos_ += 8;
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

ByteSpan ByteReader::Take(std::size_t n, const char* field) {
  Need(n, field);
  ByteSpan out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

}  // namespace keyattest
