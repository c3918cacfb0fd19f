#pragma once
// The Findings section of `ablate table` and `ablate report`: every claim with its verdict, the test
// and the numbers behind it, and for an inconclusive one the seeds it would need (an estimate).

#include <string>

#include "results/claims.h"
#include "results/table_render.h"

namespace ablate::results {

// Text (terminal), Markdown (a "## Findings" section for reports; `heading` false leaves the heading
// out) or LaTeX (a paragraph and an itemize). User text is escaped for the format. CSV has no findings
// (it is data): "" then, and "" when there are no claims.
std::string render_findings(const Findings& findings, TableFormat format, bool heading = true);

}  // namespace ablate::results
