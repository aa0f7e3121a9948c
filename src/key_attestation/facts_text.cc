// The key-attestation facts in the text report: an attribute table per
// blob (the summary attributes; every attribute with --verbose) and, with
// --verbose, the certificates. Every string may come from the input (labels
// are chosen by whoever made the key): all of it is escaped.
#include <array>
#include <ostream>

#include "keyattest/core/terminal_text.h"
#include "keyattest/key_attestation/facts.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/report/text_layout.h"

namespace keyattest {

namespace {

/// The heading of a blob's attribute table: "Attested" only when the blob's
/// signature and both chains verified; otherwise the attributes are
/// unverified and the key is named only as the unsigned kid claims it.
std::string BlobHeading(const BlobFacts& blob, const std::optional<KeyFacts>& key) {
  if (blob.attested) {
    if (!blob.key_name.empty()) {
      return "Attested key attributes for key '" + EscapeForTerminal(blob.key_name) + "' with version '" +
             (blob.key_version.empty() ? "(none)" : EscapeForTerminal(blob.key_version)) + "'";
    }
    return "Attested key attributes for key ID '" + (blob.id.empty() ? "(none)" : EscapeForTerminal(blob.id)) + "'";
  }
  std::string heading = "Unverified key attributes (signature or certificate chain not verified)";
  if (key && !key->name.empty()) {
    heading += " for key '" + EscapeForTerminal(key->name) + "'" +
               (key->version.empty() ? "" : " version '" + EscapeForTerminal(key->version) + "'") +
               " as claimed by the unsigned kid";
  }
  return heading;
}

using Row = std::array<std::string, 3>;

Row AttributeRow(const ObjectFacts& object, const AttributeFacts& a) {
  return {EscapeForTerminal(marvell::AttributeName(a.type)), EscapeForTerminal(object.ValueText(a)),
          EscapeForTerminal(marvell::AttributeMeaning(a.type))};
}

/// One object's table: the summary attributes in their fixed order, or
/// with --verbose every attribute in blob order and the long raw values.
void RenderObject(const ObjectFacts& object, const TextOptions& opt, std::ostream& out) {
  std::vector<Row> rows;
  rows.push_back({"Attribute", "Value", "Meaning"});
  if (opt.verbose) {
    for (const auto& a : object.attributes) rows.push_back(AttributeRow(object, a));
  } else {
    for (std::uint32_t type : marvell::SummaryAttributeTypes()) {
      for (const auto& a : object.attributes) {
        if (a.type == type) rows.push_back(AttributeRow(object, a));
      }
    }
  }
  out << Grid(rows, opt.width);
  if (opt.verbose) {
    for (const auto& a : object.attributes) {
      // Values longer than 16 bytes are abbreviated in the table.
      if (a.size > 16) {
        out << "  " << EscapeForTerminal(marvell::AttributeName(a.type)) << " = "
            << EscapeForTerminal(HexEncode(object.Raw(a))) << "\n";
      }
    }
  }
}

void RenderBlob(const BlobFacts& blob, const std::optional<KeyFacts>& key, const TextOptions& opt, std::ostream& out) {
  if (blob.objects.empty()) return;
  const std::string heading = BlobHeading(blob, key) + " (" + EscapeForTerminal(blob.field) + ", layout " +
                              EscapeForTerminal(blob.layout) + ")";
  for (const std::string& line : WrapWords(heading, opt.width)) out << Paint(line, kAnsiBold, opt.color) << "\n";
  for (const auto& object : blob.objects) {
    if (blob.objects.size() > 1) {
      out << "object handle " << object.handle << ": " << EscapeForTerminal(object.object_class) << "\n";
    }
    RenderObject(object, opt, out);
  }
  out << "\n";
}

void RenderCertificates(const std::vector<CertificateFacts>& certificates, std::ostream& out) {
  if (certificates.empty()) return;
  out << "Certificates:\n";
  for (const CertificateFacts& facts : certificates) {
    const Certificate& c = facts.certificate;
    out << "  " << EscapeForTerminal(facts.role.view()) << "\n"
        << "    subject:     " << EscapeForTerminal(c.subject()) << "\n"
        << "    issuer:      " << EscapeForTerminal(c.issuer()) << "\n"
        << "    serial:      " << EscapeForTerminal(c.serial_hex()) << " (X.509 v" << c.version() << ")\n"
        << "    validity:    " << EscapeForTerminal(c.not_before()) << " to " << EscapeForTerminal(c.not_after())
        << "\n"
        << "    key:         " << EscapeForTerminal(c.key_description()) << ", signed with "
        << EscapeForTerminal(c.signature_algorithm()) << "\n"
        << "    SHA-256:     " << EscapeForTerminal(HexEncode(c.sha256())) << "\n"
        << "    SPKI SHA-256: " << EscapeForTerminal(HexEncode(c.spki_sha256())) << "\n";
  }
  out << "\n";
}

}  // namespace

void KeyAttestationFacts::RenderText(const TextOptions& options, std::ostream& out) const {
  for (const auto& blob : blobs) RenderBlob(blob, key, options, out);
  if (options.verbose) RenderCertificates(certificates, out);
}

}  // namespace keyattest
