#include "keyattest/intel/sgx_quote.h"

#include <algorithm>
#include <string>

namespace keyattest::intel {

namespace {

template <std::size_t N>
void ReadArray(ByteReader& r, std::array<std::uint8_t, N>& out, const char* field) {
  const ByteSpan bytes = r.Take(N, field);
  std::copy(bytes.begin(), bytes.end(), out.begin());
}

std::string HexValue(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  bool started = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    const auto digit = (v >> static_cast<unsigned>(shift)) & 0xfU;
    if (digit != 0 || started || shift == 0) {
      out.push_back(kDigits[digit]);
      started = true;
    }
  }
  return out;
}

// §3.1: 48 bytes; only version 3 with an ECDSA P-256 attestation key is a
// layout this parser knows.
QuoteHeader ReadQuoteHeader(ByteReader& r) {
  QuoteHeader h;
  h.version = r.U16le("quote.header.version");
  if (h.version != kQuoteVersion3) {
    throw UnsupportedEvidence("SGX quote version " + std::to_string(h.version) + " (only version 3 is supported)");
  }
  h.attestation_key_type = r.U16le("quote.header.attestation_key_type");
  if (h.attestation_key_type != kAttestationKeyEcdsaP256) {
    throw UnsupportedEvidence("SGX quote attestation key type " + std::to_string(h.attestation_key_type) +
                              " (only 2, ECDSA P-256, is supported)");
  }
  h.reserved = r.U32le("quote.header.reserved");
  h.qe_svn = r.U16le("quote.header.qe_svn");
  h.pce_svn = r.U16le("quote.header.pce_svn");
  ReadArray(r, h.qe_vendor_id, "quote.header.qe_vendor_id");
  ReadArray(r, h.user_data, "quote.header.user_data");
  return h;
}

// §3.2: one 384-byte report body. The whole body is taken first (a short
// body is reported as such), then read field by field inside that span.
ReportBody ReadReportBody(ByteReader& outer, const char* field) {
  const std::size_t start = outer.absolute_position();
  const ByteSpan bytes = outer.Take(kReportBodySize, field);
  ByteReader r(bytes, start);
  ReportBody b;
  ReadArray(r, b.cpu_svn, "report.cpu_svn");
  b.misc_select = r.U32le("report.misc_select");
  ReadArray(r, b.reserved1, "report.reserved1");
  ReadArray(r, b.isv_ext_prod_id, "report.isv_ext_prod_id");
  b.attributes_flags = r.U64le("report.attributes.flags");
  b.attributes_xfrm = r.U64le("report.attributes.xfrm");
  ReadArray(r, b.mr_enclave, "report.mr_enclave");
  ReadArray(r, b.reserved2, "report.reserved2");
  ReadArray(r, b.mr_signer, "report.mr_signer");
  ReadArray(r, b.reserved3, "report.reserved3");
  ReadArray(r, b.config_id, "report.config_id");
  b.isv_prod_id = r.U16le("report.isv_prod_id");
  b.isv_svn = r.U16le("report.isv_svn");
  b.config_svn = r.U16le("report.config_svn");
  ReadArray(r, b.reserved4, "report.reserved4");
  ReadArray(r, b.isv_family_id, "report.isv_family_id");
  ReadArray(r, b.report_data, "report.report_data");
  b.raw.assign(bytes.begin(), bytes.end());
  return b;
}

// §3.4: the signature data, which must fill its declared length exactly.
SignatureData ReadSignatureData(ByteSpan bytes, std::size_t base_offset) {
  ByteReader r(bytes, base_offset);
  SignatureData s;
  ReadArray(r, s.isv_signature, "quote.signature_data.isv_signature");
  ReadArray(r, s.attestation_key, "quote.signature_data.attestation_key");
  s.qe_report = ReadReportBody(r, "quote.signature_data.qe_report");
  ReadArray(r, s.qe_signature, "quote.signature_data.qe_report_signature");
  const std::uint16_t auth_size = r.U16le("quote.signature_data.qe_auth_data.size");
  const ByteSpan auth = r.Take(auth_size, "quote.signature_data.qe_auth_data");
  s.qe_auth_data.assign(auth.begin(), auth.end());
  const std::size_t type_offset = r.absolute_position();
  s.certification_data_type = r.U16le("quote.signature_data.certification_data.type");
  if (s.certification_data_type != kCertificationDataPckChain) {
    throw UnsupportedEvidence("SGX quote certification data type " + std::to_string(s.certification_data_type) +
                              " at offset " + std::to_string(type_offset) +
                              " (only 5, the PCK certificate chain in PEM, is supported)");
  }
  const std::uint32_t cert_size = r.U32le("quote.signature_data.certification_data.size");
  if (cert_size != r.remaining()) {
    throw ParseError(r.absolute_position(), "quote.signature_data.certification_data",
                     "declares " + std::to_string(cert_size) + " bytes but the signature data has " +
                         std::to_string(r.remaining()) + " left");
  }
  const ByteSpan cert = r.Take(cert_size, "quote.signature_data.certification_data");
  s.certification_data.assign(cert.begin(), cert.end());
  return s;
}

}  // namespace

Quote ParseQuoteV3(ByteSpan quote, std::size_t base_offset) {
  if (quote.size() > kMaxQuoteSize) {
    throw ParseError(base_offset, "quote",
                     std::to_string(quote.size()) + " bytes exceeds the limit of " + std::to_string(kMaxQuoteSize));
  }
  ByteReader r(quote, base_offset);
  Quote q;
  q.header = ReadQuoteHeader(r);
  q.report_body = ReadReportBody(r, "quote.report_body");
  q.signed_prefix.assign(quote.begin(), quote.begin() + static_cast<std::ptrdiff_t>(kSignedQuotePrefixSize));
  q.signature_data_length = r.U32le("quote.signature_data_length");
  if (q.signature_data_length != r.remaining()) {
    throw ParseError(r.absolute_position(), "quote.signature_data",
                     "length field says " + std::to_string(q.signature_data_length) + " bytes but " +
                         std::to_string(r.remaining()) + " follow");
  }
  const std::size_t data_offset = r.absolute_position();
  q.signature_data = ReadSignatureData(r.Take(q.signature_data_length, "quote.signature_data"), data_offset);
  return q;
}

OeEvidence ParseOeEvidence(ByteSpan value) {
  ByteReader r(value);
  OeEvidence e;
  e.header.version = r.U32le("oe_header.version");
  if (e.header.version != kOeReportHeaderVersion) {
    throw UnsupportedEvidence("Open Enclave report header version " + std::to_string(e.header.version) +
                              " (only version 1 is supported)");
  }
  e.header.report_type = r.U32le("oe_header.report_type");
  if (e.header.report_type != kOeReportTypeRemote) {
    throw UnsupportedEvidence("Open Enclave report type " + HexValue(e.header.report_type) +
                              " (only 2, an SGX remote quote, is supported)");
  }
  e.header.report_size = r.U64le("oe_header.report_size");
  if (e.header.report_size != r.remaining()) {
    throw ParseError(
        r.absolute_position(), "oe_header.report_size",
        "declares " + std::to_string(e.header.report_size) + " bytes but " + std::to_string(r.remaining()) + " follow");
  }
  e.quote = ParseQuoteV3(value.subspan(kOeReportHeaderSize), kOeReportHeaderSize);
  return e;
}

Quote ParseWrappedQuote(ByteSpan value) {
  ByteReader r(value);
  const std::uint8_t tag = r.U8("wrapper.tag");
  if (tag != 0x04) throw ParseError(0, "wrapper.tag", "expected a DER OCTET STRING (0x04), found " + HexValue(tag));
  const DerLength header = r.DerLengthOctets(3, "wrapper.length");
  if (header.fault == DerLengthFault::kIndefinite || header.fault == DerLengthFault::kTooManyOctets) {
    throw ParseError(1, "wrapper.length",
                     "length form " + HexValue(header.initial) + " is not a definite length up to 3 octets");
  }
  // DER: the shortest form, so a long form must need all of its octets.
  if (header.fault == DerLengthFault::kNonMinimal) {
    throw ParseError(1, "wrapper.length", "length " + std::to_string(header.value) + " is not minimal DER");
  }
  const std::size_t length = header.value;
  if (length != r.remaining()) {
    throw ParseError(r.absolute_position(), "wrapper.value",
                     "declares " + std::to_string(length) + " bytes but " + std::to_string(r.remaining()) + " follow");
  }
  const std::size_t offset = r.absolute_position();
  return ParseQuoteV3(r.Take(length, "wrapper.value"), offset);
}

}  // namespace keyattest::intel
