// A generated test PKI shaped like the real Marvell and Azure chains
// (doc §10), with fixed dates so that tests never depend on "now".
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyattest/crypto/openssl_ptr.h"
#include "tests/support/test_keys.h"

namespace keyattest::testing {

/// Seconds since the epoch for a UTC calendar time (timegm).
time_t Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0);

using NameEntries = std::vector<std::pair<std::string, std::string>>;

/// Everything IssueCertificate needs besides the keys.
struct CertSpec {
  NameEntries subject;  // {{"C","US"},{"CN","..."}} in DER order
  /// Puts every non-CN entry into one multi-valued RDN (in the given order),
  /// followed by the CN RDN(s): the shape of real card/partition subjects.
  bool multi_valued_rdn = false;
  int version = 3;  // 1 => X.509 v1, which cannot carry extensions
  long serial = 1;
  time_t not_before = 0;
  time_t not_after = 0;
  const EVP_MD* md = EVP_sha256();
  std::optional<bool> basic_constraints_ca;  // nullopt = no BC extension
  bool bc_critical = false;
  std::optional<int> key_usage;  // KU_* bit flags; nullopt = no KU extension
  bool ku_critical = true;
  bool add_ski_aki = false;
  /// An extension value in OpenSSL's config syntax, "" = no extension.
  std::string subject_alt_names;   // e.g. "DNS:*.path.test, DNS:path.test"
  std::string extended_key_usage;  // e.g. "serverAuth, clientAuth"
};

/// Issues a certificate for `subject_key`. `issuer` == nullptr means
/// self-signed, in which case `issuer_key` must be the subject's private key.
/// Throws std::invalid_argument for a v1 spec that asks for extensions.
X509Ptr IssueCertificate(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key);

/// A self-signed v3 certificate by `key` whose one extension is a
/// non-critical basicConstraints (cA TRUE), valid 2025 to 2030: the smallest
/// certificate in which a DEFAULT field can be written out (der_edit.h).
X509Ptr SelfSignedWithOneExtension(EVP_PKEY* key, const std::string& common_name);

/// The spec of a CA certificate as the tests' PKIs issue them: critical
/// basicConstraints cA TRUE, keyCertSign and cRLSign, key identifiers.
CertSpec CaSpec(NameEntries subject, long serial, time_t not_before, time_t not_after);

struct Validity {
  time_t not_before;
  time_t not_after;
};

/// Knobs for every chain variant the tests need. The defaults reproduce the
/// real Azure shape (doc §10.1, §10.2): v1 card, extension-less v3 partition,
/// self-signed owner pool root, owner partition with the partition's key.
struct ChainOptions {
  // Keys per role.
  TestKeyId root_key = TestKeyId::kRootRsa2048;
  TestKeyId card_key = TestKeyId::kCardRsa2048;
  TestKeyId partition_key = TestKeyId::kPartitionRsa2048;
  TestKeyId owner_root_key = TestKeyId::kOwnerRootRsa2048;
  /// nullopt = the partition key (the "same key" rule, doc §10.2).
  std::optional<TestKeyId> owner_partition_key;

  // Validity windows (UTC).
  Validity root_validity = {Utc(2024, 1, 1), Utc(2044, 1, 1)};
  Validity card_validity = {Utc(2024, 2, 1), Utc(2034, 2, 1)};
  Validity partition_validity = {Utc(2024, 3, 1), Utc(2034, 3, 1)};
  Validity owner_root_validity = {Utc(2025, 1, 1), Utc(2050, 1, 1)};
  Validity owner_partition_validity = {Utc(2025, 1, 1), Utc(2050, 1, 1)};

  // Subjects. Card and partition use one multi-valued RDN plus CN, like the
  // real certificates; the owner partition repeats the partition's entries as
  // separate RDNs (visually equal, different DER).
  NameEntries root_subject = {
      {"C", "US"},           {"ST", "California"},     {"L", "San Jose"},
      {"O", "Cavium, Inc."}, {"OU", "LiquidSecurity"}, {"CN", "localca.liquidsecurity.cavium.com"}};
  NameEntries card_subject = {{"C", "US"},      {"ST", "CA"},     {"O", "Cavium"},
                              {"OU", "N3FIPS"}, {"L", "SanJose"}, {"CN", "HSM:TEST1234-ICM000001, for non-FIPS mode"}};
  NameEntries partition_subject = {{"C", "US"},      {"ST", "CA"},
                                   {"O", "Cavium"},  {"OU", "N3FIPS"},
                                   {"L", "SanJose"}, {"CN", "HSM:TEST1234-ICM000001:PARTN:1, for non-FIPS mode"}};
  NameEntries owner_root_subject = {
      {"C", "US"}, {"ST", "Washington"}, {"L", "Redmond"}, {"O", "Microsoft Corporation"}, {"CN", "testpool"}};
  /// nullopt = partition_subject with separate RDNs.
  std::optional<NameEntries> owner_partition_subject;
  bool card_multi_valued_rdn = true;
  bool partition_multi_valued_rdn = true;

  // Shape of the Marvell certificates.
  int root_version = 3;
  int card_version = 1;
  int partition_version = 3;
  long root_serial = 0;
  long card_serial = 1;
  long partition_serial = 1;
  std::optional<bool> card_basic_constraints;  // needs card_version 3
  std::optional<int> card_key_usage;           // needs card_version 3
  std::optional<bool> partition_basic_constraints;
  std::optional<int> partition_key_usage;

  // Signature digests, per issued certificate.
  const EVP_MD* root_md = EVP_sha256();
  const EVP_MD* card_md = EVP_sha256();
  const EVP_MD* partition_md = EVP_sha256();
  const EVP_MD* owner_root_md = EVP_sha256();
  const EVP_MD* owner_partition_md = EVP_sha256();
};

struct TestChain {
  EvpPkeyPtr root_key, card_key, partition_key, owner_root_key, owner_partition_key;
  X509Ptr root, card, partition, owner_root, owner_partition;

  std::string RootPem() const;
  /// card, partition, owner_root, owner_partition: the Azure bundle order.
  std::string BundlePem() const;
  /// The same four certificates as a new stack (new references).
  X509StackPtr BundleStack() const;
};

TestChain MakeTestChain(const ChainOptions& options = {});

std::string CertToPem(X509* cert);
/// Parses the first certificate in `pem`.
X509Ptr CertFromPem(std::string_view pem);

/// A root with the default root's subject DN and extensions but the key
/// kLookAlikeRootRsa2048: a trust anchor that must not be accepted.
std::string LookAlikeRootPem();

}  // namespace keyattest::testing
