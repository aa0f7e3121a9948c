#include "keyattest/json_renderer.h"

#include "keyattest/marvell/attributes.h"
#include "keyattest/version.h"

namespace keyattest {

namespace {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kVerified:
      return "verified";
    case Verdict::kFailed:
      return "failed";
    case Verdict::kUnreadable:
      return "unreadable";
  }
  return "failed";
}

nlohmann::json CertificateToJson(const CertificateFacts& c) {
  return {{"role", c.role},
          {"subject", c.subject},
          {"issuer", c.issuer},
          {"serial", c.serial},
          {"version", c.version},
          {"not_before", c.not_before},
          {"not_after", c.not_after},
          {"sha256", c.sha256},
          {"spki_sha256", c.spki_sha256},
          {"key", c.key},
          {"signature_algorithm", c.signature_algorithm}};
}

nlohmann::json BlobToJson(const BlobFacts& b) {
  nlohmann::json objects = nlohmann::json::array();
  for (const auto& o : b.objects) {
    nlohmann::json attrs = nlohmann::json::array();
    for (const auto& a : o.attributes) {
      attrs.push_back({{"id", marvell::FormatAttributeType(a.type)},
                       {"name", a.name},
                       {"raw", a.raw_hex},
                       {"value", a.value},
                       {"meaning", a.meaning}});
    }
    objects.push_back({{"handle", o.handle},
                       {"object_class", o.object_class},
                       {"key_type", o.key_type},
                       {"attributes", std::move(attrs)}});
  }
  return {{"field", b.field},
          {"layout", b.layout.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.layout)},
          {"length", b.length},
          {"signature_length", b.signature_length},
          {"id", b.id},
          {"key_name", b.key_name},
          {"key_version", b.key_version},
          {"objects", std::move(objects)}};
}

}  // namespace

nlohmann::json ReportToJson(const Report& r) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : r.checks) {
    checks.push_back({{"id", c.id}, {"title", c.title}, {"status", CheckStatusName(c.status)}, {"detail", c.detail}});
  }
  nlohmann::json certs = nlohmann::json::array();
  for (const auto& c : r.certificates) certs.push_back(CertificateToJson(c));
  nlohmann::json blobs = nlohmann::json::array();
  for (const auto& b : r.blobs) blobs.push_back(BlobToJson(b));
  nlohmann::json key = nullptr;
  if (r.key) {
    key = {{"kid", r.key->kid.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.key->kid)},
           {"name", r.key->name},
           {"version", r.key->version},
           {"type", r.key->type},
           {"size_bits", r.key->size_bits == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.key->size_bits)},
           {"curve", r.key->curve.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.key->curve)}};
  }
  return {{"source", r.source},
          {"verdict", VerdictName(r.verdict())},
          {"exit_code", static_cast<int>(r.exit_code())},
          {"error", r.input_error ? nlohmann::json(*r.input_error) : nlohmann::json(nullptr)},
          {"checked_at", r.checked_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.checked_at)},
          {"checks", std::move(checks)},
          {"key", std::move(key)},
          {"blobs", std::move(blobs)},
          {"certificates", std::move(certs)}};
}

std::string RenderJsonDocument(const std::vector<Report>& reports) {
  nlohmann::json files = nlohmann::json::array();
  int verified = 0, failed = 0, unreadable = 0;
  ExitCode worst = ExitCode::kVerified;
  for (const auto& r : reports) {
    files.push_back(ReportToJson(r));
    switch (r.verdict()) {
      case Verdict::kVerified:
        ++verified;
        break;
      case Verdict::kFailed:
        ++failed;
        break;
      case Verdict::kUnreadable:
        ++unreadable;
        break;
    }
    worst = WorstExitCode(worst, r.exit_code());
  }
  nlohmann::json doc = {{"tool", "validate_attestation"},
                        {"tool_version", kVersion},
                        {"schema_version", kJsonSchemaVersion},
                        {"files", std::move(files)},
                        {"summary",
                         {{"files", reports.size()},
                          {"verified", verified},
                          {"failed", failed},
                          {"unreadable", unreadable},
                          {"exit_code", static_cast<int>(worst)}}}};
  // Invalid UTF-8 in untrusted text is replaced rather than aborting output.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace keyattest
