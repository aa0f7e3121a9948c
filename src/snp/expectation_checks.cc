// TCB, VMPL, policy and data-binding checks of an SNP report (docs/snp.md
// "Checks").
#include <openssl/crypto.h>

#include "keyattest/snp/checks.h"
#include "src/snp/field_checks.h"

namespace keyattest::snp {

namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string FirmwareText(std::uint8_t major, std::uint8_t minor, std::uint8_t build) {
  return std::to_string(major) + "." + std::to_string(minor) + " build " + std::to_string(build);
}

std::vector<std::string> MinimumTcbProblems(const MinimumTcb& min, std::uint64_t reported, amd::Product product) {
  const amd::TcbParts p = amd::DecodeTcb(reported, product);
  std::vector<std::string> problems;
  auto below = [&](const char* name, std::uint8_t have, std::uint8_t want) {
    if (have < want) {
      problems.push_back(std::string("REPORTED_TCB ") + name + " " + std::to_string(have) + " is below --min-tcb " +
                         std::to_string(want));
    }
  };
  below("BL", p.boot_loader, min.boot_loader);
  below("TEE", p.tee, min.tee);
  below("SNP", p.snp, min.snp);
  below("UCODE", p.microcode, min.microcode);
  return problems;
}

/// Constant-time comparison is not needed for public values, but it costs
/// nothing and keeps the habit.
bool SameBytes(const Bytes& a, const Bytes& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

void CheckTcb(const SnpOptions& options, Report& report, const Evidence& ev) {
  if (!ev.extensions) {
    report.Skip(kTcb, "the VCEK's TCB is unknown (vcek.extensions did not pass)");
    return;
  }
  const amd::SnpReport& r = *ev.report;
  const amd::Product product = ev.extensions->product;
  auto show = [&](std::uint64_t tcb) { return amd::DescribeTcb(tcb, product); };
  std::vector<std::string> problems;
  if (r.reported_tcb != ev.extensions->tcb) {
    problems.push_back("REPORTED_TCB (" + show(r.reported_tcb) + ") is not the VCEK's TCB (" +
                       show(ev.extensions->tcb) + "): the VCEK is for another TCB");
  }
  if (!amd::TcbAtMost(r.reported_tcb, r.current_tcb)) {
    problems.push_back("CURRENT_TCB (" + show(r.current_tcb) + ") is below REPORTED_TCB in a component");
  }
  if (r.committed_tcb != r.current_tcb) {
    problems.push_back("COMMITTED_TCB (" + show(r.committed_tcb) + ") is not CURRENT_TCB (" + show(r.current_tcb) +
                       "): provisional firmware");
  }
  if (r.committed_major != r.current_major || r.committed_minor != r.current_minor ||
      r.committed_build != r.current_build) {
    problems.push_back("committed firmware " + FirmwareText(r.committed_major, r.committed_minor, r.committed_build) +
                       " is not the current " + FirmwareText(r.current_major, r.current_minor, r.current_build));
  }
  if (options.min_tcb) {
    for (std::string& p : MinimumTcbProblems(*options.min_tcb, r.reported_tcb, product)) problems.push_back(p);
  }
  if (!problems.empty()) {
    report.Fail(kTcb, Join(problems));
    return;
  }
  report.Pass(kTcb, "reported " + show(r.reported_tcb) + " = VCEK; current " + show(r.current_tcb) +
                        " = committed; launch " + show(r.launch_tcb) + (options.min_tcb ? "; at least --min-tcb" : ""));
}

void CheckVmpl(const SnpOptions& options, Report& report, const Evidence& ev) {
  const std::uint32_t vmpl = ev.report->vmpl;
  if (vmpl == options.vmpl) {
    report.Pass(kVmpl, "VMPL " + std::to_string(vmpl) + " as required");
  } else {
    report.Fail(kVmpl, "VMPL is " + std::to_string(vmpl) + "; required " + std::to_string(options.vmpl) + " (--vmpl)");
  }
}

void CheckPolicy(const SnpOptions& options, Report& report, const Evidence& ev) {
  const std::uint64_t policy = ev.report->policy;
  auto bit = [&](int b) { return ((policy >> b) & 1U) != 0; };
  const std::string shown = std::string("SMT ") + (bit(16) ? "allowed" : "not allowed") + ", migration agent " +
                            (bit(18) ? "allowed" : "not allowed") + ", single socket " +
                            (bit(20) ? "required" : "not required") + ", ABI at least " +
                            std::to_string((policy >> 8) & 0xff) + "." + std::to_string(policy & 0xff);
  if (!bit(19)) {
    report.Pass(kPolicy, "debug not allowed; " + shown);
  } else if (options.allow_debug) {
    report.Warn(kPolicy,
                "DEBUG is allowed (the host can read and write guest memory), accepted by --allow-debug; " + shown);
  } else {
    report.Fail(kPolicy,
                "DEBUG is allowed: the host can read and write guest memory (pass --allow-debug to "
                "accept); " +
                    shown);
  }
}

void CheckReportData(const SnpOptions& options, Report& report, const Evidence& ev) {
  if (!options.runtime_data) {
    report.Skip(kReportData, "no --runtime-data: REPORT_DATA is shown, not checked");
    return;
  }
  Bytes expected = Sha256(*options.runtime_data);
  expected.resize(64, 0);
  if (SameBytes(ev.report->report_data, expected)) {
    report.Pass(kReportData, "REPORT_DATA is SHA-256 of the runtime data (" +
                                 std::to_string(options.runtime_data->size()) + " bytes) followed by 32 zero bytes");
  } else {
    report.Fail(kReportData, "REPORT_DATA " + HexEncode(ev.report->report_data) +
                                 " is not SHA-256(runtime data) || 0^32 = " + HexEncode(expected));
  }
}

void CheckHostData(const SnpOptions& options, Report& report, const Evidence& ev) {
  if (!options.host_data) {
    report.Skip(kHostData,
                "no --security-policy, --security-policy-b64 or --host-data: HOST_DATA is shown, not "
                "checked");
    return;
  }
  if (SameBytes(ev.report->host_data, *options.host_data)) {
    report.Pass(kHostData, "HOST_DATA equals " + options.host_data_source + " (" + HexEncode(*options.host_data) + ")");
  } else {
    report.Fail(kHostData, "HOST_DATA " + HexEncode(ev.report->host_data) + " is not " + options.host_data_source +
                               " (" + HexEncode(*options.host_data) + ")");
  }
}

}  // namespace keyattest::snp
