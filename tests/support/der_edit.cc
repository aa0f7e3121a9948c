#include "tests/support/der_edit.h"

#include <stdexcept>

namespace keyattest::testing {

namespace {

std::ptrdiff_t At(std::size_t offset) { return static_cast<std::ptrdiff_t>(offset); }

/// The header length and content length of the element at `pos`.
std::pair<std::size_t, std::size_t> Header(const Bytes& der, std::size_t pos) {
  if (pos + 2 > der.size()) throw std::invalid_argument("DER element cut short");
  std::size_t header = 2;
  std::size_t length = der[pos + 1];
  if (length >= 0x80) {
    header += length & 0x7f;
    if (header > 4 || pos + header > der.size()) throw std::invalid_argument("DER length not supported");
    length = 0;
    for (std::size_t i = pos + 2; i < pos + header; ++i) length = (length << 8) | der[i];
  }
  if (length > der.size() - pos - header) throw std::invalid_argument("DER element beyond its container");
  return {header, length};
}

/// The elements of the extensions of `tbs` (the [3] wrapper is last).
std::vector<Bytes> Extensions(const std::vector<Bytes>& tbs) {
  if (tbs.empty() || tbs.back().empty() || tbs.back()[0] != 0xa3) {
    throw std::invalid_argument("the certificate has no extensions");
  }
  return DerElements(DerContent(DerElements(DerContent(tbs.back())).at(0)));
}

void SetExtensions(std::vector<Bytes>& tbs, const std::vector<Bytes>& extensions) {
  tbs.back() = DerTlv(0xa3, DerTlv(0x30, DerJoin(extensions)));
}

/// The fields (extnID, [critical], extnValue) of extension `index`.
std::vector<Bytes> ExtensionFields(const std::vector<Bytes>& extensions, std::size_t index) {
  if (index >= extensions.size()) throw std::invalid_argument("no extension " + std::to_string(index));
  return DerElements(DerContent(extensions[index]));
}

}  // namespace

Bytes DerTlv(std::uint8_t tag, const Bytes& content) {
  // The header is built whole, then the content appended: growing a
  // one-byte vector by an initializer list draws a false -Warray-bounds
  // from GCC 12 at -O3.
  const std::size_t n = content.size();
  Bytes out;
  out.reserve(4 + n);
  out.push_back(tag);
  if (n >= 0x10000) throw std::invalid_argument("DER content over 0xFFFF bytes");
  if (n >= 0x100) {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
  } else if (n >= 0x80) {
    out.push_back(0x81);
  }
  out.push_back(static_cast<std::uint8_t>(n & 0xff));
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

std::vector<Bytes> DerElements(const Bytes& content) {
  std::vector<Bytes> out;
  for (std::size_t pos = 0; pos < content.size();) {
    const auto [header, length] = Header(content, pos);
    out.emplace_back(content.begin() + At(pos), content.begin() + At(pos + header + length));
    pos += header + length;
  }
  return out;
}

Bytes DerContent(const Bytes& element) {
  const auto [header, length] = Header(element, 0);
  return Bytes(element.begin() + At(header), element.begin() + At(header + length));
}

Bytes DerJoin(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes WithEditedTbs(const Bytes& cert_der, const std::function<void(std::vector<Bytes>& tbs)>& edit) {
  std::vector<Bytes> outer = DerElements(DerContent(cert_der));
  if (outer.size() != 3) throw std::invalid_argument("not a certificate: " + std::to_string(outer.size()) + " parts");
  std::vector<Bytes> tbs = DerElements(DerContent(outer[0]));
  edit(tbs);
  outer[0] = DerTlv(0x30, DerJoin(tbs));
  return DerTlv(0x30, DerJoin(outer));
}

Bytes WithCriticalField(const Bytes& cert_der, std::size_t index, std::uint8_t octet) {
  return WithEditedTbs(cert_der, [index, octet](std::vector<Bytes>& tbs) {
    std::vector<Bytes> extensions = Extensions(tbs);
    std::vector<Bytes> fields = ExtensionFields(extensions, index);
    if (fields.size() != 2) throw std::invalid_argument("the extension already has a critical field");
    fields.insert(fields.begin() + 1, Bytes{0x01, 0x01, octet});  // BOOLEAN
    extensions[index] = DerTlv(0x30, DerJoin(fields));
    SetExtensions(tbs, extensions);
  });
}

Bytes ExtensionValue(const Bytes& cert_der, std::size_t index) {
  const std::vector<Bytes> outer = DerElements(DerContent(cert_der));
  return DerContent(ExtensionFields(Extensions(DerElements(DerContent(outer.at(0)))), index).back());
}

Bytes WithExtensionValue(const Bytes& cert_der, std::size_t index, const Bytes& value) {
  return WithEditedTbs(cert_der, [index, &value](std::vector<Bytes>& tbs) {
    std::vector<Bytes> extensions = Extensions(tbs);
    std::vector<Bytes> fields = ExtensionFields(extensions, index);
    fields.back() = DerTlv(0x04, value);  // extnValue OCTET STRING
    extensions[index] = DerTlv(0x30, DerJoin(fields));
    SetExtensions(tbs, extensions);
  });
}

Bytes WithExplicitCriticalFalse(const Bytes& cert_der, std::size_t index) {
  return WithCriticalField(cert_der, index, 0x00);
}

Bytes WithExplicitVersionV1(const Bytes& cert_der) {
  return WithEditedTbs(cert_der, [](std::vector<Bytes>& tbs) {
    if (!tbs.empty() && tbs.front()[0] == 0xa0) throw std::invalid_argument("the certificate has a version field");
    tbs.insert(tbs.begin(), DerTlv(0xa0, Bytes{0x02, 0x01, 0x00}));  // [0] EXPLICIT INTEGER 0
  });
}

X509Ptr DecodeCertificate(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size()) {
    ClearOpenSslErrors();
    throw std::invalid_argument("not exactly one DER certificate");
  }
  return cert;
}

X509Ptr Resign(const Bytes& der, EVP_PKEY* issuer_key, const EVP_MD* md) {
  X509Ptr cert = DecodeCertificate(der);
  CheckOpenSsl(X509_sign(cert.get(), issuer_key, md) > 0, "X509_sign");
  // A fresh decode, so that nothing cached from the signing survives.
  return DecodeCertificate(ToDer(i2d_X509, cert.get(), "i2d_X509"));
}

}  // namespace keyattest::testing
