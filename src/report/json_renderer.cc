#include "keyattest/report/json_renderer.h"

#include <sstream>

#include "keyattest/marvell/attributes.h"
#include "keyattest/version.h"

namespace keyattest {

namespace {

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
          {"attested", b.attested},
          {"objects", std::move(objects)}};
}

}  // namespace

nlohmann::ordered_json ReportToJson(const Report& r) {
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
           {"attested", r.key->attested},
           {"type", r.key->type},
           {"size_bits", r.key->size_bits == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.key->size_bits)},
           {"curve", r.key->curve.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.key->curve)}};
  }
  nlohmann::json error = nullptr;
  if (r.internal_error) {
    error = "internal error: " + *r.internal_error;
  } else if (r.input_error) {
    error = *r.input_error;
  } else if (r.trust_error) {
    error = *r.trust_error;
  }
  if (r.kind != kKeyAttestationKind) {
    return {{"kind", r.kind},
            {"source", r.source},
            {"verdict", VerdictName(r.verdict())},
            {"exit_code", static_cast<int>(r.exit_code())},
            {"error", std::move(error)},
            {"checked_at", r.checked_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.checked_at)},
            {"checks", std::move(checks)},
            {"facts", r.facts}};
  }
  return {{"kind", r.kind},
          {"source", r.source},
          {"verdict", VerdictName(r.verdict())},
          {"exit_code", static_cast<int>(r.exit_code())},
          {"error", std::move(error)},
          {"checked_at", r.checked_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.checked_at)},
          {"owner_chain_style",
           r.owner_chain_style.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.owner_chain_style)},
          {"checks", std::move(checks)},
          {"key", std::move(key)},
          {"blobs", std::move(blobs)},
          {"certificates", std::move(certs)}};
}

namespace {
template <class Json>
std::string Dump(const Json& j, int indent) {
  // Invalid UTF-8 in untrusted text is replaced rather than aborting output.
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}
}  // namespace

JsonRunWriter::JsonRunWriter(std::ostream& out) : out_(out) {
  out_ << "{\n  \"tool\": \"validate_attestation\",\n  \"tool_version\": " << nlohmann::json(kVersion).dump()
       << ",\n  \"schema_version\": " << kJsonSchemaVersion << ",\n  \"files\": [";
}

void JsonRunWriter::Add(const Report& report) {
  out_ << (first_ ? "\n" : ",\n") << Dump(ReportToJson(report), -1);
  first_ = false;
}

void JsonRunWriter::Finish(const BatchSummary& s) {
  nlohmann::json summary = {{"files", s.files},     {"verified", s.verified},
                            {"failed", s.failed},   {"unreadable", s.unreadable},
                            {"seconds", s.seconds}, {"exit_code", static_cast<int>(s.exit_code)}};
  out_ << (first_ ? "],\n" : "\n  ],\n") << "  \"summary\": " << Dump(summary, -1) << "\n}\n";
  out_.flush();
}

std::string RenderJsonLine(const Report& report) { return Dump(ReportToJson(report), -1) + "\n"; }

std::string RenderJsonDocument(const std::vector<Report>& reports) {
  std::ostringstream out;
  JsonRunWriter writer(out);
  BatchSummary summary;
  for (const auto& r : reports) {
    writer.Add(r);
    summary.Count(r);
  }
  writer.Finish(summary);
  return out.str();
}

}  // namespace keyattest
