// ReceivablesProblems: ReceivablesIssues as the one data-problems list of the
// surfaces.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "salesight/receivables.hpp"

namespace salesight {

DataProblems ReceivablesProblems(const ReceivablesIssues& issues, const Invoices& invoices) {
  DataProblems out;
  const int scale = invoices.money_scale();
  out.money_scale = scale;
  const InvoicesColumns& c = invoices.columns();
  auto add = [&](const char* kind, std::int64_t count, std::optional<Money> amount,
                 const std::vector<std::int64_t>& rows, std::string message) {
    if (count <= 0) return;
    DataProblem p;
    p.problem = kind;
    p.count = count;
    p.amount = amount;
    for (std::int64_t row : rows) {
      if (row < 0 || static_cast<std::size_t>(row) >= c.invoice.size()) continue;
      p.example_ids.push_back(KeyIdText(c.invoices, c.invoice[static_cast<std::size_t>(row)]));
      p.example_rows.push_back(row);
    }
    if (!p.example_ids.empty()) {
      absl::StrAppendFormat(&message, "; e.g. invoice '%s'", p.example_ids.front());
    }
    p.message = std::move(message);
    out.items.push_back(std::move(p));
  };
  add("invoices_after_as_of", issues.invoices_after_as_of, std::nullopt, {},
      absl::StrFormat("%d invoices dated after the as-of date (not yet known: excluded)",
                      issues.invoices_after_as_of));
  add("payments_after_as_of", issues.payments_after_as_of, issues.payments_after_as_of_amount, {},
      absl::StrFormat("%d payments (%s) dated after the as-of date, ignored",
                      issues.payments_after_as_of,
                      FormatMoney(issues.payments_after_as_of_amount, scale)));
  add("overpaid_invoices", issues.overpaid_invoices, issues.overpaid_amount,
      issues.overpaid_examples,
      absl::StrFormat("%d invoices overpaid or credit notes (%s): not aged",
                      issues.overpaid_invoices, FormatMoney(issues.overpaid_amount, scale)));
  add("payments_before_invoice_date", issues.early_payments, issues.early_payment_amount,
      issues.early_payment_examples,
      absl::StrFormat("%d payments (%s) dated before their invoice (counted as prepayments)",
                      issues.early_payments, FormatMoney(issues.early_payment_amount, scale)));
  return out;
}

}  // namespace salesight
