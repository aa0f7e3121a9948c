#include "keyattest/marvell/blob.h"

#include <algorithm>
#include <array>
#include <optional>

#include "keyattest/marvell/attributes.h"

namespace keyattest::marvell {

namespace {

/// Reads `count` TLVs from `r` (count-driven walk, §3.2), rejecting duplicate
/// types. The reader must already be limited to the object's extent.
void ReadTlvs(ByteReader& r, KeyObject& object) {
  if (object.attribute_count == 0) {
    throw ParseError(object.offset + 4, "object.attribute_count", "is 0");
  }
  if (object.attribute_count > kMaxAttributesPerObject) {
    throw ParseError(
        object.offset + 4, "object.attribute_count",
        std::to_string(object.attribute_count) + " exceeds the limit of " + std::to_string(kMaxAttributesPerObject));
  }
  // Each TLV needs at least its 8-byte header.
  if (object.attribute_count > r.remaining() / 8) {
    throw ParseError(object.offset + 4, "object.attribute_count",
                     std::to_string(object.attribute_count) + " attributes cannot fit in " +
                         std::to_string(r.remaining()) + " bytes");
  }
  std::size_t start = r.position();
  object.attributes.reserve(object.attribute_count);
  // The types read so far, sorted: an object holds up to hundreds of
  // attributes, and comparing each with every earlier one was most of
  // reading them. A duplicate is still found where it is read.
  std::array<std::uint32_t, kMaxAttributesPerObject> seen_storage;  // checked above: count <= the limit
  std::uint32_t* const seen_begin = seen_storage.data();
  std::uint32_t* seen_end = seen_begin;
  for (std::uint32_t i = 0; i < object.attribute_count; ++i) {
    Attribute attr;
    attr.offset = r.absolute_position();
    attr.type = r.U32("attribute.type");
    std::uint32_t len = r.U32("attribute.length");
    if (len > r.remaining()) {
      throw ParseError(attr.offset + 4, "attribute.length",
                       "type " + FormatAttributeType(attr.type) + " declares " + std::to_string(len) +
                           " bytes but only " + std::to_string(r.remaining()) + " remain in the object");
    }
    attr.value = r.Take(len, "attribute.value");
    std::uint32_t* const at = std::lower_bound(seen_begin, seen_end, attr.type);
    if (at != seen_end && *at == attr.type) {
      throw ParseError(attr.offset, "attribute.type", "duplicate attribute type " + FormatAttributeType(attr.type));
    }
    std::copy_backward(at, seen_end, seen_end + 1);
    *at = attr.type;
    ++seen_end;
    object.attributes.push_back(attr);
  }
  object.tlv_bytes = r.position() - start;
}

/// Reads an object header and its TLVs from a reader limited to `extent`
/// bytes starting at `offset` of `blob`.
KeyObject ReadObject(ByteSpan blob, std::size_t offset, std::size_t extent) {
  ByteReader header(blob.subspan(offset, extent), offset);
  KeyObject object;
  object.offset = offset;
  object.handle = header.U32("object.handle");
  object.attribute_count = header.U32("object.attribute_count");
  object.declared_size = header.U32("object.size");
  if (object.declared_size > header.remaining()) {
    throw ParseError(offset + 8, "object.size",
                     std::to_string(object.declared_size) + " exceeds the " + std::to_string(header.remaining()) +
                         " bytes available");
  }
  ByteReader tlvs(blob.subspan(offset + 12, object.declared_size), offset + 12);
  ReadTlvs(tlvs, object);
  return object;
}

void CheckCommonLength(ByteSpan blob, std::size_t k) {
  if (blob.empty()) throw ParseError(0, "blob", "is empty");
  if (blob.size() > kMaxBlobBytes) {
    throw ParseError(0, "blob",
                     std::to_string(blob.size()) + " bytes exceeds the limit of " + std::to_string(kMaxBlobBytes));
  }
  if (k == 0) throw ParseError(0, "signature", "length is 0");
  if (blob.size() < 32 + k) {
    throw ParseError(0, "blob",
                     std::to_string(blob.size()) + " bytes is shorter than the minimum of " + std::to_string(32 + k) +
                         " (32-byte header + " + std::to_string(k) + "-byte signature)");
  }
}

}  // namespace

const char* LayoutName(Layout layout) { return layout == Layout::kA ? "A" : "B"; }

const Attribute* KeyObject::Find(std::uint32_t type) const {
  for (const auto& a : attributes) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

namespace {

/// Layout A's 16-byte header and key handles (§3.1), up to the info block.
void ReadLayoutAHeader(ByteReader& r, ByteSpan blob, std::size_t k, LayoutAHeader& h) {
  const std::size_t signed_end = blob.size() - k;  // L - k
  h.response_code = r.U32("header.response_code");
  if (h.response_code != 0) {
    throw ParseError(0, "header.response_code", "is " + std::to_string(h.response_code) + ", expected 0");
  }
  h.flags = r.U32("header.flags");
  // Both GET_ATTR (1) and GET_ATTEST (2) must be set; EXCLUDE_HEADER (4)
  // would leave the header unsigned (§9.1), and other bits are unknown.
  if (h.flags != 3) {
    throw ParseError(4, "header.flags",
                     "is " + FormatAttributeType(h.flags) + ", expected 0x00000003 (GET_ATTR|GET_ATTEST)");
  }
  h.total_size = r.U32("header.total_size");
  if (h.total_size != blob.size()) {
    throw ParseError(
        8, "header.total_size",
        "is " + std::to_string(h.total_size) + " but the blob is " + std::to_string(blob.size()) + " bytes");
  }
  h.buffer_size = r.U32("header.buffer_size");
  // 64-bit arithmetic: bufsize + k can exceed 32 bits (§13).
  const std::uint64_t need = std::uint64_t{h.buffer_size} + k + 16;
  if (need > blob.size()) {
    throw ParseError(12, "header.buffer_size",
                     std::to_string(h.buffer_size) + " leaves no room for the 16-byte header and " + std::to_string(k) +
                         "-byte signature in " + std::to_string(blob.size()) + " bytes");
  }
  h.info_offset = signed_end - h.buffer_size;  // S
  const std::size_t prefix = h.info_offset - 16;
  if (prefix != 8 && prefix != 16) {
    throw ParseError(16, "header.handles",
                     std::to_string(prefix) + " bytes of key handles, expected 8 (one key) or 16 (key pair)");
  }
  for (std::size_t i = 0; i < prefix / 8; ++i) h.handles.push_back(r.U64("header.handle"));
}

/// Layout A's info block (§3.1): version 1, the header's flags, and the
/// first object right after it.
void ReadLayoutAInfo(ByteReader& r, LayoutAHeader& h) {
  h.info_version = r.U16("info.version");
  if (h.info_version != 1) {
    throw ParseError(h.info_offset, "info.version", "is " + std::to_string(h.info_version) + ", expected 1");
  }
  h.info_flags = r.U16("info.flags");
  if (h.info_flags != h.flags) {
    throw ParseError(h.info_offset + 2, "info.flags",
                     "is " + std::to_string(h.info_flags) + ", expected the header flags " + std::to_string(h.flags));
  }
  h.first_object = r.U16("info.first_object_offset");
  h.second_object = r.U16("info.second_object_offset");
  if (h.first_object != 8) {
    throw ParseError(h.info_offset + 4, "info.first_object_offset",
                     "is " + std::to_string(h.first_object) + ", expected 8");
  }
}

/// One object at `pos` whose TLVs fill exactly its declared size; `pos`
/// moves past it.
KeyObject ReadTiledObject(ByteSpan blob, std::size_t& pos, std::size_t signed_end) {
  KeyObject object = ReadObject(blob, pos, signed_end - pos);
  if (object.tlv_bytes != object.declared_size) {
    throw ParseError(object.offset + 8, "object.size",
                     "declares " + std::to_string(object.declared_size) + " bytes but the TLVs fill " +
                         std::to_string(object.tlv_bytes));
  }
  pos += 12 + object.declared_size;
  return object;
}

/// The objects of layout A tile [S+8, L-k) exactly (§3.1), one per key
/// handle, in the handles' order.
void ReadLayoutAObjects(ByteSpan blob, std::size_t signed_end, ParsedBlob& out) {
  const LayoutAHeader& h = out.a;
  std::size_t pos = h.info_offset + h.first_object;
  out.objects.push_back(ReadTiledObject(blob, pos, signed_end));
  if (h.second_object != 0) {
    const std::size_t expected = std::size_t{h.first_object} + 12 + out.objects[0].declared_size;
    // One key handle means one object: the second offset must then be 0.
    if (h.handles.size() == 1) {
      throw ParseError(h.info_offset + 6, "info.second_object_offset",
                       "is " + std::to_string(h.second_object) + ", expected 0");
    }
    if (h.second_object != expected) {
      throw ParseError(h.info_offset + 6, "info.second_object_offset",
                       "is " + std::to_string(h.second_object) + ", expected " + std::to_string(expected) +
                           " (directly after the first object)");
    }
    out.objects.push_back(ReadTiledObject(blob, pos, signed_end));
  }
  if (pos != signed_end) {
    throw ParseError(pos, "attribute_buffer",
                     std::to_string(signed_end - pos) + " unparsed bytes before the signature");
  }
  if (out.objects.size() != h.handles.size()) {
    throw ParseError(
        16, "header.handles",
        std::to_string(h.handles.size()) + " handles for " + std::to_string(out.objects.size()) + " objects");
  }
  for (std::size_t i = 0; i < out.objects.size(); ++i) {
    if (h.handles[i] != out.objects[i].handle) {
      throw ParseError(
          16 + 8 * i, "header.handle",
          std::to_string(h.handles[i]) + " does not match object handle " + std::to_string(out.objects[i].handle));
    }
  }
}

}  // namespace

ParsedBlob ParseLayoutA(ByteSpan blob, std::size_t k) {
  CheckCommonLength(blob, k);
  ParsedBlob out;
  out.layout = Layout::kA;
  out.length = blob.size();
  out.signature_length = k;
  const std::size_t signed_end = blob.size() - k;  // L - k
  ByteReader r(blob.first(signed_end));
  ReadLayoutAHeader(r, blob, k, out.a);
  ReadLayoutAInfo(r, out.a);
  ReadLayoutAObjects(blob, signed_end, out);
  return out;
}

ParsedBlob ParseLayoutB(ByteSpan blob, std::size_t k) {
  CheckCommonLength(blob, k);
  ParsedBlob out;
  out.layout = Layout::kB;
  out.length = blob.size();
  out.signature_length = k;
  const std::size_t signed_end = blob.size() - k;

  ByteReader r(blob.first(signed_end));
  ByteSpan prefix = r.Take(16, "header.reserved");
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != 0) {
      throw ParseError(i, "header.reserved", "byte is 0x" + HexEncode(prefix.subspan(i, 1)) + ", expected 0");
    }
  }
  out.b.object_length = r.U32("header.object_length");
  KeyObject object;
  object.offset = 20;
  object.handle = r.U32("object.handle");
  object.attribute_count = r.U32("object.attribute_count");
  object.declared_size = r.U32("object.size");
  if (std::uint64_t{out.b.object_length} != std::uint64_t{object.declared_size} + 12) {
    throw ParseError(16, "header.object_length",
                     "is " + std::to_string(out.b.object_length) + ", expected 12 + object size " +
                         std::to_string(object.declared_size));
  }
  if (object.declared_size > r.remaining()) {
    throw ParseError(28, "object.size",
                     std::to_string(object.declared_size) + " exceeds the " + std::to_string(r.remaining()) +
                         " bytes before the signature");
  }
  // Real layout-B objects declare more bytes than their TLVs use (§4), so the
  // walk stays within [32, 32 + size] but need not fill it.
  ByteReader tlvs(blob.subspan(32, object.declared_size), 32);
  ReadTlvs(tlvs, object);
  const std::size_t tlv_end = 32 + object.tlv_bytes;
  for (std::size_t i = tlv_end; i < signed_end; ++i) {
    if (blob[i] != 0) {
      throw ParseError(
          i, "zero_fill",
          "byte is 0x" + HexEncode(blob.subspan(i, 1)) + ", expected 0 between the last attribute and the signature");
    }
  }
  out.b.zero_fill = signed_end - tlv_end;
  const std::size_t declared_end = 32 + std::size_t{object.declared_size};
  if (signed_end - declared_end != 264) {
    out.warnings.push_back("layout B: " + std::to_string(signed_end - declared_end) +
                           " bytes follow the declared object, every known sample has 264");
  }
  out.objects.push_back(std::move(object));
  return out;
}

namespace {

/// Conditions every layout A blob meets (its first three checks, §3.1):
/// response code 0, flags 3 and the total size at offsets 0, 4 and 8.
/// Callers have checked that the blob has at least 32 bytes.
bool MayBeLayoutA(ByteSpan blob) {
  ByteReader r(blob);
  const std::uint32_t response_code = r.U32("header.response_code");
  const std::uint32_t flags = r.U32("header.flags");
  const std::uint32_t total_size = r.U32("header.total_size");
  return response_code == 0 && flags == 3 && total_size == blob.size();
}

/// The condition every layout B blob meets (its first check, §4): sixteen
/// zero bytes.
bool MayBeLayoutB(ByteSpan blob) {
  return std::all_of(blob.begin(), blob.begin() + 16, [](std::uint8_t b) { return b == 0; });
}

}  // namespace

std::optional<Layout> AnnouncedLayout(ByteSpan blob) {
  if (blob.size() < 32) return std::nullopt;
  const bool a = MayBeLayoutA(blob);
  const bool b = MayBeLayoutB(blob);
  if (a == b) return std::nullopt;
  return a ? Layout::kA : Layout::kB;
}

ParsedBlob ParseBlob(ByteSpan blob, std::size_t k) {
  CheckCommonLength(blob, k);  // at least 32 bytes from here on
  // The two conditions exclude each other (flags 3 at offset 4 against
  // zeros), so a blob that meets one is parsed only as that layout: a
  // parser skipped here would have failed its first checks, and the error
  // reported below for a blob that parses as neither is the one of the
  // layout it resembles, never the skipped one. The normal path thus runs
  // one parser and raises no exception.
  const bool may_be_a = MayBeLayoutA(blob);
  const bool may_be_b = MayBeLayoutB(blob);
  std::optional<ParseError> error_a;
  std::optional<ParseError> error_b;
  std::optional<ParsedBlob> a;
  std::optional<ParsedBlob> b;
  if (may_be_a || !may_be_b) {
    try {
      a = ParseLayoutA(blob, k);
    } catch (const ParseError& e) {
      error_a = e;
    }
  }
  if (may_be_b || !may_be_a) {
    try {
      b = ParseLayoutB(blob, k);
    } catch (const ParseError& e) {
      error_b = e;
    }
  }
  if (a && b) throw ParseError(0, "layout", "blob parses as both layout A and layout B");
  if (a) return std::move(*a);
  if (b) return std::move(*b);
  // Report the layout the blob resembles (§6.2): layout A carries its
  // non-zero total size at offset 8, where layout B has reserved zeros.
  const bool report_b = blob[8] == 0 && blob[9] == 0 && blob[10] == 0 && blob[11] == 0;
  throw ParseError(0, "layout",
                   std::string("not a valid layout A or B blob; as layout ") + (report_b ? "B: " : "A: ") +
                       (report_b ? error_b->what() : error_a->what()));
}

}  // namespace keyattest::marvell
