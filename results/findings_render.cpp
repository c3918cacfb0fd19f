#include "results/findings_render.h"

#include <fmt/format.h>

#include "results/table_escape.h"

namespace ablate::results {
namespace {

std::string method(const Findings& findings) {
  const std::string test = findings.kind == TestKind::welch ? "Welch's t-test over seeds"
                                                            : "paired t-test over the seeds both variants finished";
  return fmt::format("{}, two-sided; Holm's correction over the {} claim{} tested; beyond noise = adjusted p < {}.",
                     test, findings.family, findings.family == 1 ? "" : "s", kAlpha);
}

// One claim's paragraph parts, unescaped: the quoted claim, its verdict, evidence and estimate.
std::string body(const Finding& f) {
  std::string out = f.evidence;
  if (!f.estimate.empty()) out += " " + f.estimate;
  return out;
}

}  // namespace

std::string render_findings(const Findings& findings, TableFormat format, bool heading) {
  if (findings.findings.empty() || format == TableFormat::csv) return "";
  std::string out;
  switch (format) {
    case TableFormat::text:
      if (heading) out += "Findings\n\n";
      out += single_line(method(findings)) + "\n";
      for (std::size_t i = 0; i < findings.findings.size(); ++i) {
        const Finding& f = findings.findings[i];
        out += fmt::format("\n{}. \"{}\": {}\n   {}\n", i + 1, single_line(f.claim.text), to_string(f.verdict),
                           single_line(body(f)));
      }
      return out;
    case TableFormat::markdown:
      if (heading) out += "## Findings\n\n";
      out += markdown_escape(method(findings)) + "\n\n";
      for (std::size_t i = 0; i < findings.findings.size(); ++i) {
        const Finding& f = findings.findings[i];
        out += fmt::format("{}. *{}*: **{}**. {}\n", i + 1, markdown_escape(f.claim.text), to_string(f.verdict),
                           markdown_escape(body(f)));
      }
      return out;
    case TableFormat::latex:
      if (heading) out += "\\paragraph{Findings}\n";
      out += latex_escape(method(findings)) + "\n\\begin{enumerate}\n";
      for (const Finding& f : findings.findings) {
        out += fmt::format("\\item \\emph{{{}}}: \\textbf{{{}}}. {}\n", latex_escape(f.claim.text), to_string(f.verdict),
                           latex_escape(body(f)));
      }
      return out + "\\end{enumerate}\n";
    case TableFormat::csv: return "";
  }
  return out;
}

}  // namespace ablate::results
