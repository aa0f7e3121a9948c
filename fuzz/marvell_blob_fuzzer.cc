// Fuzz target (d): the Marvell blob parsers and attribute interpretation, for
// a 2048-bit (k = 256) and a 4096-bit (k = 512) partition key; an input that
// starts with the gzip magic is also decompressed exactly once (§2.4) and
// the result parsed the same way.
//
// Properties (docs/marvell-format.md §3, §4, §6.2, §7.1, §13):
//  * ParseBlob, ParseLayoutA and ParseLayoutB throw only ParseError, with an
//    offset inside the blob; ParseBlob accepts exactly when one strict
//    layout parser does, and then returns that parser's result.
//  * An accepted blob satisfies every header invariant of its layout, and
//    every attribute value is a copy of bytes inside the signed region
//    [0, L - k) at the place its TLV header says.
//  * InterpretKeyObject throws only ParseError; an interpreted key has a
//    known class and key type, and its key material obeys the value rules.
//  * GunzipExactlyOnce throws only GzipError ("gzip: ..."), and never
//    returns more than its cap.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz/fuzz_common.h"
#include "keyattest/io/gzip.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/marvell/blob.h"

namespace keyattest::fuzz {
namespace {

namespace attr = marvell::attr;
using marvell::Layout;
using marvell::ParsedBlob;

std::uint32_t U32At(ByteSpan b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

std::uint64_t U64At(ByteSpan b, std::size_t at) { return (std::uint64_t{U32At(b, at)} << 32) | U32At(b, at + 4); }

void CheckObject(ByteSpan blob, std::size_t signed_end, const marvell::KeyObject& o) {
  KEYATTEST_FUZZ_CHECK(o.offset + 12 <= signed_end, "object header outside the signed region");
  KEYATTEST_FUZZ_CHECK(U32At(blob, o.offset) == o.handle, "object handle is not the one in the blob");
  KEYATTEST_FUZZ_CHECK(U32At(blob, o.offset + 4) == o.attribute_count, "attribute count is not the one in the blob");
  KEYATTEST_FUZZ_CHECK(U32At(blob, o.offset + 8) == o.declared_size, "object size is not the one in the blob");
  KEYATTEST_FUZZ_CHECK(o.attribute_count >= 1 && o.attribute_count <= marvell::kMaxAttributesPerObject,
                       "attribute count outside [1, 256]: " + std::to_string(o.attribute_count));
  KEYATTEST_FUZZ_CHECK(o.attributes.size() == o.attribute_count, "count-driven walk read a different count");
  KEYATTEST_FUZZ_CHECK(o.tlv_bytes <= o.declared_size, "TLVs run past the declared object size");
  KEYATTEST_FUZZ_CHECK(o.offset + 12 + std::size_t{o.declared_size} <= signed_end, "object runs into the signature");
  std::size_t pos = o.offset + 12;
  for (std::size_t i = 0; i < o.attributes.size(); ++i) {
    const marvell::Attribute& a = o.attributes[i];
    KEYATTEST_FUZZ_CHECK(a.offset == pos, "TLVs are not contiguous");
    KEYATTEST_FUZZ_CHECK(a.offset + 8 + a.value.size() <= signed_end, "attribute value outside the signed region");
    KEYATTEST_FUZZ_CHECK(U32At(blob, a.offset) == a.type, "attribute type is not the one in the blob");
    KEYATTEST_FUZZ_CHECK(U32At(blob, a.offset + 4) == a.value.size(), "attribute length is not the one in the blob");
    KEYATTEST_FUZZ_CHECK(a.value.data() == blob.data() + pos + 8, "attribute value is not a view of the signed bytes");
    for (std::size_t j = 0; j < i; ++j) {
      KEYATTEST_FUZZ_CHECK(o.attributes[j].type != a.type, "duplicate attribute type accepted");
    }
    pos += 8 + a.value.size();
  }
  KEYATTEST_FUZZ_CHECK(pos - (o.offset + 12) == o.tlv_bytes, "tlv_bytes is not what the TLVs occupy");
}

void CheckLayoutA(ByteSpan blob, const ParsedBlob& p) {
  const std::size_t signed_end = p.length - p.signature_length;
  const marvell::LayoutAHeader& h = p.a;
  KEYATTEST_FUZZ_CHECK(h.response_code == 0 && U32At(blob, 0) == 0, "layout A response code is not 0");
  KEYATTEST_FUZZ_CHECK(h.flags == 3 && U32At(blob, 4) == 3, "layout A flags are not GET_ATTR|GET_ATTEST");
  KEYATTEST_FUZZ_CHECK(h.total_size == p.length && U32At(blob, 8) == p.length, "layout A total size is not L");
  KEYATTEST_FUZZ_CHECK(U32At(blob, 12) == h.buffer_size && h.info_offset + h.buffer_size == signed_end,
                       "attribute buffer does not end where the signature starts");
  KEYATTEST_FUZZ_CHECK(h.info_offset == 16 + 8 * h.handles.size(), "info header is not right after the handles");
  KEYATTEST_FUZZ_CHECK(p.objects.size() == 1 || p.objects.size() == 2, "layout A holds 1 or 2 objects");
  KEYATTEST_FUZZ_CHECK(h.handles.size() == p.objects.size(), "one handle per object");
  KEYATTEST_FUZZ_CHECK(h.info_version == 1 && h.first_object == 8, "info header version/offset");
  std::size_t end = h.info_offset + 8;
  for (std::size_t i = 0; i < p.objects.size(); ++i) {
    const marvell::KeyObject& o = p.objects[i];
    KEYATTEST_FUZZ_CHECK(U64At(blob, 16 + 8 * i) == h.handles[i] && h.handles[i] == o.handle,
                         "handle does not match its object");
    KEYATTEST_FUZZ_CHECK(o.offset == end, "layout A objects do not tile the buffer");
    KEYATTEST_FUZZ_CHECK(o.tlv_bytes == o.declared_size, "layout A object TLVs do not fill its size exactly");
    CheckObject(blob, signed_end, o);
    end = o.offset + 12 + o.declared_size;
  }
  KEYATTEST_FUZZ_CHECK(end == signed_end, "layout A leaves bytes between the objects and the signature");
}

void CheckLayoutB(ByteSpan blob, const ParsedBlob& p) {
  const std::size_t signed_end = p.length - p.signature_length;
  KEYATTEST_FUZZ_CHECK(std::all_of(blob.begin(), blob.begin() + 16, [](std::uint8_t b) { return b == 0; }),
                       "layout B reserved bytes are not zero");
  KEYATTEST_FUZZ_CHECK(p.objects.size() == 1 && p.objects[0].offset == 20, "layout B holds one object at 20");
  const marvell::KeyObject& o = p.objects[0];
  KEYATTEST_FUZZ_CHECK(U32At(blob, 16) == p.b.object_length && p.b.object_length == std::uint64_t{o.declared_size} + 12,
                       "layout B object length is not 12 + size");
  CheckObject(blob, signed_end, o);
  const std::size_t tlv_end = 32 + o.tlv_bytes;
  KEYATTEST_FUZZ_CHECK(p.b.zero_fill == signed_end - tlv_end, "zero fill length");
  KEYATTEST_FUZZ_CHECK(
      std::all_of(blob.begin() + static_cast<std::ptrdiff_t>(tlv_end),
                  blob.begin() + static_cast<std::ptrdiff_t>(signed_end), [](std::uint8_t b) { return b == 0; }),
      "layout B fill is not zero");
}

void CheckKey(const marvell::KeyObject& object, const marvell::AttestedKey& key) {
  KEYATTEST_FUZZ_CHECK(key.handle == object.handle, "interpreted handle differs");
  KEYATTEST_FUZZ_CHECK(key.attributes.size() == object.attributes.size(), "an attribute was dropped or invented");
  KEYATTEST_FUZZ_CHECK(!marvell::ObjectClassName(key.object_class).empty(), "unknown object class accepted");
  KEYATTEST_FUZZ_CHECK(!marvell::KeyTypeName(key.key_type).empty(), "unknown key type accepted");
  for (std::size_t i = 0; i < key.attributes.size(); ++i) {
    KEYATTEST_FUZZ_CHECK(key.attributes[i].raw.data() == object.attributes[i].value.data() &&
                             key.attributes[i].raw.size() == object.attributes[i].value.size(),
                         "decoded raw bytes differ");
  }
  if (key.kcv) KEYATTEST_FUZZ_CHECK(key.kcv->size() == 3, "KCV length");
  if (key.ekcv) KEYATTEST_FUZZ_CHECK(key.ekcv->size() == 32, "EKCV length");
  for (const std::optional<std::string>* text : {&key.id, &key.label}) {
    if (*text) {
      KEYATTEST_FUZZ_CHECK((*text)->size() <= 128, "text attribute over 128 bytes");
      KEYATTEST_FUZZ_CHECK((*text)->find('\0') == std::string::npos, "text attribute keeps a NUL");
    }
  }
  for (const auto& d : key.attributes) {
    const auto* raw = object.Find(d.type);
    KEYATTEST_FUZZ_CHECK(raw != nullptr, "decoded attribute not in the object");
    // The report formats values only when rendered: any accepted value must
    // format (this must not throw or read past the value).
    (void)marvell::AttributeValueText(d.type, d.raw, key.key_type);
    if (d.type == attr::kSensitive || d.type == attr::kExtractable || d.type == attr::kNeverExtractable ||
        d.type == attr::kAlwaysSensitive || d.type == attr::kLocal || d.type == attr::kPrivate) {
      KEYATTEST_FUZZ_CHECK(d.raw.size() == 1 && d.raw[0] <= 1, "security flag that is not one byte of 0 or 1");
    }
  }
  if (key.key_type == marvell::kKeyTypeRsa) {
    KEYATTEST_FUZZ_CHECK(key.modulus && !key.modulus->empty() && (*key.modulus)[0] != 0, "RSA modulus not minimal");
    KEYATTEST_FUZZ_CHECK((key.modulus->back() & 1) == 1, "even RSA modulus");
    std::size_t bits = key.modulus->size() * 8;
    for (std::uint8_t top = (*key.modulus)[0]; (top & 0x80) == 0; top = static_cast<std::uint8_t>(top << 1)) --bits;
    KEYATTEST_FUZZ_CHECK(key.modulus_bits && *key.modulus_bits == bits, "MODULUS_BITS differs from the modulus");
    KEYATTEST_FUZZ_CHECK(key.public_exponent && !key.public_exponent->empty() && key.public_exponent->size() <= 8 &&
                             (*key.public_exponent)[0] != 0 && (key.public_exponent->back() & 1) == 1,
                         "RSA exponent not minimal, odd and at most 8 bytes");
  } else if (key.key_type == marvell::kKeyTypeEc) {
    KEYATTEST_FUZZ_CHECK(key.modulus_bits && !marvell::CurveNameForNid(*key.modulus_bits).empty(), "unknown curve");
    KEYATTEST_FUZZ_CHECK(key.modulus && !key.modulus->empty() && (*key.modulus)[0] == 0x04,
                         "EC point not uncompressed");
    KEYATTEST_FUZZ_CHECK(!key.public_exponent, "EC key with a public exponent");
  }
}

void InterpretAll(const ParsedBlob& parsed) {
  for (const auto& object : parsed.objects) {
    try {
      CheckKey(object, marvell::InterpretKeyObject(object));
    } catch (const ParseError& e) {
      KEYATTEST_FUZZ_CHECK(e.offset() < parsed.length, "attribute error offset outside the blob");
    } catch (...) {
      UnexpectedException("InterpretKeyObject must throw only ParseError");
    }
  }
}

template <class Parser>
std::optional<ParsedBlob> TryParse(Parser parser, ByteSpan blob, std::size_t k, const char* name) {
  try {
    return parser(blob, k);
  } catch (const ParseError& e) {
    KEYATTEST_FUZZ_CHECK(e.offset() < std::max<std::size_t>(blob.size(), 1),
                         std::string(name) + " error offset outside the blob: " + e.what());
  } catch (...) {
    UnexpectedException(name);
  }
  return std::nullopt;
}

bool SameObjects(const ParsedBlob& x, const ParsedBlob& y) {
  if (x.objects.size() != y.objects.size()) return false;
  for (std::size_t i = 0; i < x.objects.size(); ++i) {
    const auto& a = x.objects[i];
    const auto& b = y.objects[i];
    if (a.offset != b.offset || a.handle != b.handle || a.attributes.size() != b.attributes.size()) return false;
    for (std::size_t j = 0; j < a.attributes.size(); ++j) {
      if (a.attributes[j].type != b.attributes[j].type ||
          !std::ranges::equal(a.attributes[j].value, b.attributes[j].value)) {
        return false;
      }
    }
  }
  return true;
}

void Run(ByteSpan blob, std::size_t k) {
  std::optional<ParsedBlob> a = TryParse(marvell::ParseLayoutA, blob, k, "ParseLayoutA");
  std::optional<ParsedBlob> b = TryParse(marvell::ParseLayoutB, blob, k, "ParseLayoutB");
  std::optional<ParsedBlob> any = TryParse(marvell::ParseBlob, blob, k, "ParseBlob");
  KEYATTEST_FUZZ_CHECK(!(a && b), "a blob parsed as both layouts");
  KEYATTEST_FUZZ_CHECK(any.has_value() == (a.has_value() || b.has_value()),
                       "ParseBlob disagrees with the strict layout parsers");
  for (const std::optional<ParsedBlob>* p : {&a, &b}) {
    if (!*p) continue;
    const ParsedBlob& parsed = **p;
    KEYATTEST_FUZZ_CHECK(parsed.length == blob.size() && parsed.signature_length == k, "length bookkeeping");
    KEYATTEST_FUZZ_CHECK(blob.size() >= 32 + k && blob.size() <= marvell::kMaxBlobBytes, "accepted a blob length");
    if (parsed.layout == Layout::kA) {
      KEYATTEST_FUZZ_CHECK(p == &a, "ParseLayoutA returned layout B");
      CheckLayoutA(blob, parsed);
    } else {
      KEYATTEST_FUZZ_CHECK(p == &b, "ParseLayoutB returned layout A");
      CheckLayoutB(blob, parsed);
    }
    KEYATTEST_FUZZ_CHECK(any && any->layout == parsed.layout && SameObjects(*any, parsed),
                         "ParseBlob returned something else than the layout parser");
    InterpretAll(parsed);
  }
}

void RunBoth(ByteSpan blob) {
  Run(blob, 256);
  Run(blob, 512);
}

void RunGzip(ByteSpan data) {
  if (!LooksGzipped(data)) return;
  Bytes blob;
  try {
    blob = GunzipExactlyOnce(data, kMaxBlobBytes);
  } catch (const GzipError& e) {
    KEYATTEST_FUZZ_CHECK(std::string(e.what()).rfind("gzip: ", 0) == 0, std::string("GzipError: ") + e.what());
    return;
  } catch (...) {
    UnexpectedException("GunzipExactlyOnce must throw only GzipError");
  }
  KEYATTEST_FUZZ_CHECK(blob.size() <= kMaxBlobBytes, "decompressed past the cap");
  RunBoth(blob);
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const keyattest::ByteSpan input(data, size);
  keyattest::fuzz::RunBoth(input);
  keyattest::fuzz::RunGzip(input);
  return 0;
}
