#include "tests/support/test_pki.h"

#include <openssl/pem.h>

#include <cstdint>
#include <stdexcept>

namespace keyattest::testing {
namespace {

X509NamePtr BuildName(const NameEntries& entries, bool multi_valued_rdn) {
  X509NamePtr name(CheckNotNull(X509_NAME_new(), "X509_NAME_new"));
  auto add = [&](const std::pair<std::string, std::string>& entry, int set) {
    CheckOpenSsl(X509_NAME_add_entry_by_txt(name.get(), entry.first.c_str(), MBSTRING_UTF8,
                                            reinterpret_cast<const unsigned char*>(entry.second.c_str()),
                                            static_cast<int>(entry.second.size()), /*loc=*/-1, set) == 1,
                 "X509_NAME_add_entry_by_txt");
  };
  if (!multi_valued_rdn) {
    for (const auto& entry : entries) add(entry, /*set=*/0);  // one RDN each
    return name;
  }
  // set = 0 opens a new RDN; set = -1 joins the previous one (appending).
  bool opened = false;
  for (const auto& entry : entries) {
    if (entry.first == "CN") continue;
    add(entry, opened ? -1 : 0);
    opened = true;
  }
  for (const auto& entry : entries) {
    if (entry.first == "CN") add(entry, 0);
  }
  return name;
}

// KU_* flags (x509v3.h) are the DER bit string read as a little-endian
// 16-bit value: bits 0..7 of the BIT STRING are 0x80..0x01, bit 8 is 0x8000.
Asn1BitStringPtr KeyUsageBits(int flags) {
  Asn1BitStringPtr bits(CheckNotNull(ASN1_BIT_STRING_new(), "ASN1_BIT_STRING_new"));
  for (int bit = 0; bit < 9; ++bit) {
    const int flag = bit < 8 ? (0x80 >> bit) : 0x8000;
    if ((flags & flag) != 0) {
      CheckOpenSsl(ASN1_BIT_STRING_set_bit(bits.get(), bit, 1) == 1, "ASN1_BIT_STRING_set_bit");
    }
  }
  return bits;
}

void AddConfExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtensionPtr ext(CheckNotNull(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value), "X509V3_EXT_nconf_nid"));
  CheckOpenSsl(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

CertSpec SpecFor(const NameEntries& subject, bool multi_valued_rdn, int version, long serial, const Validity& validity,
                 const EVP_MD* md) {
  CertSpec spec;
  spec.subject = subject;
  spec.multi_valued_rdn = multi_valued_rdn;
  spec.version = version;
  spec.serial = serial;
  spec.not_before = validity.not_before;
  spec.not_after = validity.not_after;
  spec.md = md;
  return spec;
}

// LS1 2024 root shape (doc §10.1): v3, serial 0, KU critical
// {digitalSignature, keyCertSign}, BC CA:TRUE not critical, no SKI/AKI.
CertSpec RootSpec(const ChainOptions& o) {
  CertSpec spec = SpecFor(o.root_subject, false, o.root_version, o.root_serial, o.root_validity, o.root_md);
  if (o.root_version == 3) {
    spec.basic_constraints_ca = true;
    spec.key_usage = KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN;
  }
  return spec;
}

X509Ptr UpRef(X509* cert) {
  CheckOpenSsl(X509_up_ref(cert) == 1, "X509_up_ref");
  return X509Ptr(cert);
}

}  // namespace

time_t Utc(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return timegm(&tm);
}

CertSpec CaSpec(NameEntries subject, long serial, time_t not_before, time_t not_after) {
  CertSpec spec;
  spec.subject = std::move(subject);
  spec.serial = serial;
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.basic_constraints_ca = true;
  spec.bc_critical = true;
  spec.key_usage = KU_KEY_CERT_SIGN | KU_CRL_SIGN;
  spec.add_ski_aki = true;
  return spec;
}

X509Ptr IssueCertificate(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key) {
  const bool has_extensions = spec.basic_constraints_ca.has_value() || spec.key_usage.has_value() || spec.add_ski_aki ||
                              !spec.subject_alt_names.empty() || !spec.extended_key_usage.empty();
  if (spec.version < 1 || spec.version > 3 || (spec.version < 3 && has_extensions)) {
    throw std::invalid_argument("CertSpec: extensions need version 3");
  }
  X509Ptr cert(CheckNotNull(X509_new(), "X509_new"));
  CheckOpenSsl(X509_set_version(cert.get(), spec.version - 1) == 1, "X509_set_version");
  CheckOpenSsl(ASN1_INTEGER_set_int64(X509_get_serialNumber(cert.get()), spec.serial) == 1, "ASN1_INTEGER_set_int64");
  // ASN1_TIME_set picks UTCTime up to 2049 and GeneralizedTime after (RFC 5280).
  CheckNotNull(ASN1_TIME_set(X509_getm_notBefore(cert.get()), spec.not_before), "ASN1_TIME_set");
  CheckNotNull(ASN1_TIME_set(X509_getm_notAfter(cert.get()), spec.not_after), "ASN1_TIME_set");

  X509NamePtr subject = BuildName(spec.subject, spec.multi_valued_rdn);
  CheckOpenSsl(X509_set_subject_name(cert.get(), subject.get()) == 1, "X509_set_subject_name");
  X509_NAME* issuer_name = issuer != nullptr ? X509_get_subject_name(issuer) : subject.get();
  CheckOpenSsl(X509_set_issuer_name(cert.get(), issuer_name) == 1, "X509_set_issuer_name");
  CheckOpenSsl(X509_set_pubkey(cert.get(), subject_key) == 1, "X509_set_pubkey");

  if (spec.key_usage.has_value()) {
    Asn1BitStringPtr bits = KeyUsageBits(*spec.key_usage);
    CheckOpenSsl(
        X509_add1_ext_i2d(cert.get(), NID_key_usage, bits.get(), spec.ku_critical ? 1 : 0, X509V3_ADD_DEFAULT) == 1,
        "X509_add1_ext_i2d(keyUsage)");
  }
  if (spec.basic_constraints_ca.has_value()) {
    BasicConstraintsPtr bc(CheckNotNull(BASIC_CONSTRAINTS_new(), "BASIC_CONSTRAINTS_new"));
    bc->ca = *spec.basic_constraints_ca ? 0xFF : 0;
    CheckOpenSsl(X509_add1_ext_i2d(cert.get(), NID_basic_constraints, bc.get(), spec.bc_critical ? 1 : 0,
                                   X509V3_ADD_DEFAULT) == 1,
                 "X509_add1_ext_i2d(basicConstraints)");
  }
  if (spec.add_ski_aki) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    // The SKI goes first so that a self-signed AKI can copy it.
    AddConfExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    AddConfExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  }
  X509V3_CTX plain;
  X509V3_set_ctx(&plain, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  if (!spec.subject_alt_names.empty()) {
    AddConfExtension(cert.get(), &plain, NID_subject_alt_name, spec.subject_alt_names.c_str());
  }
  if (!spec.extended_key_usage.empty()) {
    AddConfExtension(cert.get(), &plain, NID_ext_key_usage, spec.extended_key_usage.c_str());
  }
  CheckOpenSsl(X509_sign(cert.get(), issuer_key, spec.md) > 0, "X509_sign");
  return cert;
}

X509Ptr SelfSignedWithOneExtension(EVP_PKEY* key, const std::string& common_name) {
  CertSpec spec;
  spec.subject = {{"CN", common_name}};
  spec.not_before = Utc(2025, 1, 1);
  spec.not_after = Utc(2030, 1, 1);
  spec.basic_constraints_ca = true;
  spec.bc_critical = false;
  return IssueCertificate(spec, key, nullptr, key);
}

std::string CertToPem(X509* cert) {
  BioPtr bio(CheckNotNull(BIO_new(BIO_s_mem()), "BIO_new"));
  CheckOpenSsl(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  CheckOpenSsl(len > 0 && data != nullptr, "BIO_get_mem_data");
  return std::string(data, static_cast<std::size_t>(len));
}

X509Ptr CertFromPem(std::string_view pem) {
  BioPtr bio(CheckNotNull(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "BIO_new_mem_buf"));
  return X509Ptr(CheckNotNull(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), "PEM_read_bio_X509"));
}

std::string TestChain::RootPem() const { return CertToPem(root.get()); }

std::string TestChain::BundlePem() const {
  return CertToPem(card.get()) + CertToPem(partition.get()) + CertToPem(owner_root.get()) +
         CertToPem(owner_partition.get());
}

X509StackPtr TestChain::BundleStack() const {
  X509StackPtr stack(CheckNotNull(sk_X509_new_null(), "sk_X509_new_null"));
  for (X509* cert : {card.get(), partition.get(), owner_root.get(), owner_partition.get()}) {
    X509Ptr ref = UpRef(cert);
    CheckOpenSsl(sk_X509_push(stack.get(), ref.get()) > 0, "sk_X509_push");
    ref.release();  // now owned by the stack
  }
  return stack;
}

TestChain MakeTestChain(const ChainOptions& o) {
  TestChain chain;
  chain.root_key = LoadTestKey(o.root_key);
  chain.card_key = LoadTestKey(o.card_key);
  chain.partition_key = LoadTestKey(o.partition_key);
  chain.owner_root_key = LoadTestKey(o.owner_root_key);
  chain.owner_partition_key = LoadTestKey(o.owner_partition_key.value_or(o.partition_key));

  chain.root = IssueCertificate(RootSpec(o), chain.root_key.get(), nullptr, chain.root_key.get());

  // Card (doc §10.1): X.509 v1 with no extensions by default, serial 1.
  CertSpec card =
      SpecFor(o.card_subject, o.card_multi_valued_rdn, o.card_version, o.card_serial, o.card_validity, o.card_md);
  card.basic_constraints_ca = o.card_basic_constraints;
  card.key_usage = o.card_key_usage;
  chain.card = IssueCertificate(card, chain.card_key.get(), chain.root.get(), chain.root_key.get());

  // Partition: v3 with no extensions at all; its key signs the blobs.
  CertSpec partition = SpecFor(o.partition_subject, o.partition_multi_valued_rdn, o.partition_version,
                               o.partition_serial, o.partition_validity, o.partition_md);
  partition.basic_constraints_ca = o.partition_basic_constraints;
  partition.key_usage = o.partition_key_usage;
  chain.partition = IssueCertificate(partition, chain.partition_key.get(), chain.card.get(), chain.card_key.get());

  // Azure per-pool owner root (doc §10.2): serial 1, BC critical CA:TRUE,
  // KU critical {digitalSignature, keyCertSign}, SKI/AKI.
  CertSpec owner_root = SpecFor(o.owner_root_subject, false, 3, 1, o.owner_root_validity, o.owner_root_md);
  owner_root.basic_constraints_ca = true;
  owner_root.bc_critical = true;
  owner_root.key_usage = KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN;
  owner_root.add_ski_aki = true;
  chain.owner_root = IssueCertificate(owner_root, chain.owner_root_key.get(), nullptr, chain.owner_root_key.get());

  // Owner partition: serial 0x7FFFFFFFFFFFFFFF, BC critical CA:FALSE, SKI/AKI,
  // the partition's entries as separate RDNs, and the partition's key.
  CertSpec owner_partition = SpecFor(o.owner_partition_subject.value_or(o.partition_subject), false, 3, INT64_MAX,
                                     o.owner_partition_validity, o.owner_partition_md);
  owner_partition.basic_constraints_ca = false;
  owner_partition.bc_critical = true;
  owner_partition.add_ski_aki = true;
  chain.owner_partition = IssueCertificate(owner_partition, chain.owner_partition_key.get(), chain.owner_root.get(),
                                           chain.owner_root_key.get());
  return chain;
}

std::string LookAlikeRootPem() {
  EvpPkeyPtr key = LoadTestKey(TestKeyId::kLookAlikeRootRsa2048);
  X509Ptr root = IssueCertificate(RootSpec(ChainOptions{}), key.get(), nullptr, key.get());
  return CertToPem(root.get());
}

}  // namespace keyattest::testing
