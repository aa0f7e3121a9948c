#include "keyattest/key_attestation/expected_key.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include "keyattest/io/base64.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/key_attestation/attestation_document.h"

#include <initializer_list>
#include <vector>

namespace keyattest {

namespace {

struct JwkCurve {
  const char* crv;
  int nid;
  std::size_t field_bytes;
  Bytes oid;  // DER of the namedCurve OBJECT IDENTIFIER
};
// JOSE curve names (RFC 7518, and P-256K as Azure writes secp256k1).
const std::vector<JwkCurve>& Curves() {
  static const std::vector<JwkCurve> kCurves = {
      {"P-256", NID_X9_62_prime256v1, 32, {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}},
      {"P-384", NID_secp384r1, 48, {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22}},
      {"P-521", NID_secp521r1, 66, {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23}},
      {"P-256K", NID_secp256k1, 32, {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a}},
      {"SECP256K1", NID_secp256k1, 32, {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a}},
  };
  return kCurves;
}

const JwkCurve* CurveByNid(int nid) {
  for (const auto& c : Curves()) {
    if (c.nid == nid) return &c;
  }
  return nullptr;
}

/// DER TLV with definite length.
Bytes Der(std::uint8_t tag, ByteSpan content) {
  Bytes out{tag};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    Bytes len;
    for (std::size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v & 0xff));
    out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// Minimal unsigned INTEGER: no superfluous leading zeros, a 00 when the
/// top bit is set.
Bytes DerUnsignedInteger(ByteSpan value) {
  std::size_t i = 0;
  while (i + 1 < value.size() && value[i] == 0) ++i;
  ByteSpan v = value.subspan(i);
  Bytes content;
  content.reserve(v.size() + 1);
  if (v.empty() || (v[0] & 0x80) != 0) content.assign(1, 0x00);
  content.insert(content.end(), v.begin(), v.end());
  return Der(0x02, content);
}

Bytes BitString(ByteSpan content) {
  Bytes v{0x00};  // no unused bits
  v.insert(v.end(), content.begin(), content.end());
  return Der(0x03, v);
}

Bytes StripLeadingZeros(Bytes b) {
  std::size_t i = 0;
  while (i + 1 < b.size() && b[i] == 0) ++i;
  b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(i));
  return b;
}

Bytes JwkBytes(const nlohmann::json& jwk, const char* member) {
  auto it = jwk.find(member);
  if (it == jwk.end() || !it->is_string()) throw KeyError(std::string("JWK member '") + member + "' is missing");
  std::string why;
  auto bytes = DecodeBase64Any(it->get<std::string>(), &why);
  if (!bytes) throw KeyError(std::string("JWK member '") + member + "' is not base64url: " + why);
  return std::move(*bytes);
}

void SetRsa(ExpectedKey& out, Bytes n, Bytes e) {
  out.rsa_n = StripLeadingZeros(std::move(n));
  out.rsa_e = StripLeadingZeros(std::move(e));
  if (out.rsa_n.empty() || out.rsa_n[0] == 0) throw KeyError("RSA modulus is zero");
  if (out.rsa_e.empty() || out.rsa_e[0] == 0) throw KeyError("RSA exponent is zero");
  out.spki_der = RsaSpkiDer(out.rsa_n, out.rsa_e);
}

void SetEc(ExpectedKey& out, int nid, Bytes point) {
  const JwkCurve* curve = CurveByNid(nid);
  if (curve == nullptr) throw KeyError("EC curve is not supported");
  if (point.size() != 1 + 2 * curve->field_bytes || point[0] != 0x04) {
    throw KeyError(std::string("EC point is not an uncompressed ") + curve->crv + " point");
  }
  out.ec_nid = nid;
  out.ec_point = std::move(point);
  out.spki_der = EcSpkiDer(nid, out.ec_point);
}

/// Components of a parsed OpenSSL public key (the --key PEM path).
void FillFromPublicKey(ExpectedKey& out, EVP_PKEY* k) {
  if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    CheckOpenSsl(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) == 1, "EVP_PKEY_get_bn_param");
    BignumPtr n_owned(n);
    CheckOpenSsl(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1, "EVP_PKEY_get_bn_param");
    BignumPtr e_owned(e);
    Bytes nb(static_cast<std::size_t>(BN_num_bytes(n)));
    BN_bn2bin(n, nb.data());
    Bytes eb(static_cast<std::size_t>(BN_num_bytes(e)));
    BN_bn2bin(e, eb.data());
    SetRsa(out, std::move(nb), std::move(eb));
    out.kty = "RSA";
  } else if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
    char group[64] = {0};
    CheckOpenSsl(EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), nullptr) == 1,
                 "EVP_PKEY_get_utf8_string_param");
    // Uncompressed encoding regardless of how the key was given (§8.2).
    CheckOpenSsl(EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed") == 1,
                 "EVP_PKEY_set_utf8_string_param");
    std::size_t len = 0;
    CheckOpenSsl(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) == 1,
                 "EVP_PKEY_get_octet_string_param");
    Bytes point(len);
    CheckOpenSsl(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(), len, &len) == 1,
                 "EVP_PKEY_get_octet_string_param");
    SetEc(out, OBJ_sn2nid(group), std::move(point));
    out.kty = "EC";
  } else {
    throw KeyError("only RSA and EC public keys can be bound");
  }
}

}  // namespace

Bytes RsaSpkiDer(ByteSpan n, ByteSpan e) {
  static const Bytes kAlgorithm =
      Der(0x30, Bytes{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00});
  Bytes rsa_public_key = Der(0x30, Concat({DerUnsignedInteger(n), DerUnsignedInteger(e)}));
  return Der(0x30, Concat({kAlgorithm, BitString(rsa_public_key)}));
}

Bytes EcSpkiDer(int nid, ByteSpan point) {
  const JwkCurve* curve = CurveByNid(nid);
  if (curve == nullptr) throw KeyError("EC curve is not supported");
  static const Bytes kEcPublicKey = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
  Bytes algorithm = Der(0x30, Concat({kEcPublicKey, curve->oid}));
  return Der(0x30, Concat({algorithm, BitString(point)}));
}

std::optional<KeyIdentifier> ParseKeyIdentifier(const std::string& kid, std::string* why) {
  constexpr std::string_view kScheme = "https://";
  auto fail = [&](const char* reason) -> std::optional<KeyIdentifier> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (kid.compare(0, kScheme.size(), kScheme) != 0) return fail("does not start with https://");
  std::string rest = kid.substr(kScheme.size());
  auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0) return fail("has no host");
  KeyIdentifier id;
  id.kid = kid;
  id.host = rest.substr(0, slash);
  id.pool = id.host.substr(0, id.host.find('.'));
  std::string path = rest.substr(slash);
  constexpr std::string_view kKeys = "/keys/";
  if (path.compare(0, kKeys.size(), kKeys) != 0) return fail("path does not start with /keys/");
  path = path.substr(kKeys.size());
  auto next = path.find('/');
  id.name = path.substr(0, next);
  if (id.name.empty()) return fail("has an empty key name");
  if (next != std::string::npos) {
    std::string version = path.substr(next + 1);
    if (version.empty() || version.find('/') != std::string::npos) return fail("has a malformed version");
    id.version = version;
  }
  return id;
}

std::string ExpectedKey::Description() const {
  if (!IsAsymmetric()) return "symmetric (" + kty + ")";
  if (!rsa_n.empty()) {
    std::size_t bits = rsa_n.size() * 8;
    for (std::uint8_t top = rsa_n[0]; (top & 0x80) == 0; top = static_cast<std::uint8_t>(top << 1)) --bits;
    return "RSA-" + std::to_string(bits);
  }
  const char* sn = OBJ_nid2sn(ec_nid);
  return std::string("EC ") + (sn ? sn : "?");
}

Bytes SpkiDer(EVP_PKEY* key) { return ToDer(i2d_PUBKEY, key, "i2d_PUBKEY"); }

ExpectedKey ExpectedKeyFromJwk(const nlohmann::json& jwk, std::string source) {
  if (!jwk.is_object()) throw KeyError("JWK is not a JSON object");
  ExpectedKey out;
  out.source = std::move(source);
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) throw KeyError("JWK member 'kty' is missing");
  out.kty = kty->get<std::string>();
  if (auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string()) throw KeyError("JWK member 'kid' is not a string");
    std::string why;
    out.key_id = ParseKeyIdentifier(kid->get<std::string>(), &why);
    if (!out.key_id) throw KeyError("JWK kid '" + kid->get<std::string>().substr(0, 200) + "' " + why);
  }
  const std::string family = out.kty.substr(0, out.kty.find('-'));  // "RSA-HSM" -> "RSA"
  if (family == "RSA") {
    SetRsa(out, JwkBytes(jwk, "n"), JwkBytes(jwk, "e"));
  } else if (family == "EC") {
    auto crv = jwk.find("crv");
    if (crv == jwk.end() || !crv->is_string()) throw KeyError("JWK member 'crv' is missing");
    const JwkCurve* curve = nullptr;
    for (const auto& c : Curves()) {
      if (*crv == c.crv) curve = &c;
    }
    if (curve == nullptr) throw KeyError("JWK curve '" + crv->get<std::string>().substr(0, 40) + "' is not supported");
    Bytes x = JwkBytes(jwk, "x");
    Bytes y = JwkBytes(jwk, "y");
    if (x.size() != curve->field_bytes || y.size() != curve->field_bytes) {
      throw KeyError("JWK x/y are not " + std::to_string(curve->field_bytes) + " bytes for " + curve->crv);
    }
    Bytes point{0x04};
    point.insert(point.end(), x.begin(), x.end());
    point.insert(point.end(), y.begin(), y.end());
    SetEc(out, curve->nid, std::move(point));
  } else if (family == "oct") {
    // Symmetric: Azure never returns key material; only the kid can bind.
  } else {
    throw KeyError("JWK kty '" + out.kty.substr(0, 40) + "' is not supported");
  }
  return out;
}

namespace {

using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslFree<X509_REQ_free>>;

std::string WithErrors(std::string message) {
  std::string errors = DrainOpenSslErrors();
  if (!errors.empty()) message += " (" + errors + ")";
  return message;
}

/// The public key of a PKCS#10 request (§8.2 "CSR input"), only once its
/// self-signature verifies. FillFromPublicKey re-encodes it canonically:
/// named curve and uncompressed point whatever the request carried.
void FillFromCertificateRequest(ExpectedKey& out, X509_REQ* request, const std::string& path) {
  EVP_PKEY* key = X509_REQ_get0_pubkey(request);  // owned by the request
  if (key == nullptr) throw KeyError(WithErrors("'" + path + "': the certificate request's public key is unreadable"));
  if (X509_REQ_verify(request, key) != 1) {
    throw KeyError(WithErrors("'" + path + "': the certificate request's signature does not verify"));
  }
  ClearOpenSslErrors();
  FillFromPublicKey(out, key);
}

bool HoldsPemCertificateRequest(const std::string& text) {
  return text.find("-----BEGIN CERTIFICATE REQUEST-----") != std::string::npos ||
         text.find("-----BEGIN NEW CERTIFICATE REQUEST-----") != std::string::npos;
}

std::size_t CountOf(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

/// A DER PKCS#10 request or SubjectPublicKeyInfo that fills the whole file.
void FillFromDer(ExpectedKey& out, const std::string& der, const std::string& path) {
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const auto size = static_cast<long>(der.size());
  const unsigned char* p = begin;
  if (X509_REQ* request = d2i_X509_REQ(nullptr, &p, size)) {
    X509ReqPtr owned(request);
    if (p != begin + size) throw KeyError("'" + path + "' has trailing bytes after its DER certificate request");
    FillFromCertificateRequest(out, owned.get(), path);
    return;
  }
  ClearOpenSslErrors();
  p = begin;
  if (EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, size)) {
    EvpPkeyPtr owned(key);
    if (p != begin + size) throw KeyError("'" + path + "' has trailing bytes after its DER SubjectPublicKeyInfo");
    FillFromPublicKey(out, owned.get());
    return;
  }
  throw KeyError(WithErrors("'" + path + "' is neither a DER certificate request nor a DER SubjectPublicKeyInfo"));
}

}  // namespace

ExpectedKey LoadExpectedKeyFile(const std::string& path) {
  std::string text;
  try {
    text = ReadInputFile(path);
  } catch (const InputError& e) {
    throw KeyError(e.what());
  }
  std::string source = "--key " + path;
  if (HoldsPemCertificateRequest(text)) {
    if (const std::size_t blocks = CountOf(text, "-----BEGIN"); blocks != 1) {
      throw KeyError("'" + path + "' holds a certificate request among " + std::to_string(blocks) +
                     " PEM blocks; give exactly one");
    }
    BioPtr bio(CheckNotNull(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), "BIO_new_mem_buf"));
    X509_REQ* request = PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr);
    if (request == nullptr) throw KeyError(WithErrors("'" + path + "' holds a malformed PEM certificate request"));
    X509ReqPtr owned(request);
    ExpectedKey out;
    out.source = std::move(source);
    FillFromCertificateRequest(out, owned.get(), path);
    return out;
  }
  if (text.find("-----BEGIN") != std::string::npos) {
    // One key per file: a second block would be ignored by OpenSSL's reader.
    if (const std::size_t blocks = CountOf(text, "-----BEGIN"); blocks != 1) {
      throw KeyError("'" + path + "' holds " + std::to_string(blocks) + " PEM blocks; give exactly one public key");
    }
    BioPtr bio(CheckNotNull(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), "BIO_new_mem_buf"));
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    ClearOpenSslErrors();
    if (key == nullptr) throw KeyError("'" + path + "' holds no PEM public key (BEGIN PUBLIC KEY)");
    EvpPkeyPtr owned(key);
    ExpectedKey out;
    out.source = std::move(source);
    FillFromPublicKey(out, owned.get());
    return out;
  }
  if (!text.empty() && static_cast<unsigned char>(text[0]) == 0x30) {
    ExpectedKey out;  // DER: a SEQUENCE (0x30 is '0', which no JWK starts with)
    out.source = std::move(source);
    FillFromDer(out, text, path);
    return out;
  }
  // The project's strict reader: a duplicate member ("n" twice) is an
  // error, never "the last one wins".
  nlohmann::json jwk;
  try {
    jwk = ParseStrictJson(text, kMaxJsonDepth);
  } catch (const JsonSyntaxError& e) {
    if (e.kind() == JsonSyntaxError::Kind::kSyntax) {
      throw KeyError("'" + path + "' is neither a JWK (JSON) nor a PEM public key or certificate request");
    }
    throw KeyError("'" + path + "' is not a valid JWK: " + e.what());
  }
  // Accept a bare JWK or a response-like {"key": JWK}.
  if (jwk.is_object() && jwk.contains("key") && !jwk.contains("kty")) jwk = jwk["key"];
  return ExpectedKeyFromJwk(jwk, std::move(source));
}

}  // namespace keyattest
