// Every check of the key-attestation verifier, declared once: the id users
// and tests refer to and the one title it has in every report
// (docs/checks.md lists them with what each proves).
#pragma once

#include <array>

#include "keyattest/report/report.h"

namespace keyattest::key_attestation {

inline constexpr CheckDefinition kDocumentVersion{"document.version", "Attestation format version"};
inline constexpr CheckDefinition kDocumentFormat{"document.format", "Google attestation format"};
inline constexpr CheckDefinition kBundle{"certificates.bundle", "Certificate bundle"};
inline constexpr CheckDefinition kManufacturerChain{"chain.manufacturer", "Marvell manufacturer chain"};
inline constexpr CheckDefinition kOwnerChain{"chain.owner", "Partition owner chain"};
inline constexpr CheckDefinition kAllUsed{"certificates.all_used", "Every certificate has a role"};
inline constexpr CheckDefinition kOwnerRootPin{"owner_root.pin", "Owner root is the pinned one"};

/// The checks of one attestation blob (private or public).
struct BlobChecks {
  CheckDefinition structure;
  CheckDefinition structure_note;
  CheckDefinition attributes;
  CheckDefinition signature;
  CheckDefinition object_class;
};
inline constexpr BlobChecks kPrivateBlob{
    {"private.structure", "Blob structure (private key attestation)"},
    {"private.structure.note", "Blob structure note (private key attestation)"},
    {"private.attributes", "Attribute values (private key attestation)"},
    {"private.signature", "Signature (private key attestation)"},
    {"private.object_class", "Object class (private key attestation)"},
};
inline constexpr BlobChecks kPublicBlob{
    {"public.structure", "Blob structure (public key attestation)"},
    {"public.structure.note", "Blob structure note (public key attestation)"},
    {"public.attributes", "Attribute values (public key attestation)"},
    {"public.signature", "Signature (public key attestation)"},
    {"public.object_class", "Object class (public key attestation)"},
};

inline constexpr CheckDefinition kSameKey{"blobs.same_key", "Private and public attestations describe one key"};
inline constexpr CheckDefinition kPublicPresent{"public.present", "Public key attestation"};
inline constexpr CheckDefinition kKeyMaterial{"binding.key_material", "Attested key equals the expected key"};
inline constexpr CheckDefinition kCheckValue{"binding.check_value", "Key check values match the expected key"};
inline constexpr CheckDefinition kKeyId{"binding.key_id", "kid names the attested key"};
inline constexpr CheckDefinition kPoolName{"owner.pool_name", "Owner root names the kid's pool"};

/// policy.<requirement>: one check per --require entry. Its id and title are
/// this prefix followed by the requirement as the user wrote it, so one
/// requirement has one title in every report.
inline constexpr CheckDefinition kPolicyFamily{"policy.", "Required: "};

/// Every fixed check above (the policy family aside), for tests and docs.
inline constexpr std::array kAllChecks{
    kDocumentVersion,
    kDocumentFormat,
    kBundle,
    kManufacturerChain,
    kOwnerChain,
    kAllUsed,
    kOwnerRootPin,
    kPrivateBlob.structure,
    kPrivateBlob.structure_note,
    kPrivateBlob.attributes,
    kPrivateBlob.signature,
    kPrivateBlob.object_class,
    kPublicBlob.structure,
    kPublicBlob.structure_note,
    kPublicBlob.attributes,
    kPublicBlob.signature,
    kPublicBlob.object_class,
    kSameKey,
    kPublicPresent,
    kKeyMaterial,
    kCheckValue,
    kKeyId,
    kPoolName,
};

}  // namespace keyattest::key_attestation
