#pragma once
// Which response statuses `prm-mock tail --status` shows: a comma list of classes ("4xx") and
// exact statuses ("404"), e.g. "2xx,5xx" or "404,429". No filter shows every status.
#include <optional>
#include <string_view>
#include <vector>

namespace prm_mock {

class StatusFilter {
 public:
  StatusFilter() = default;  // admits every status

  // Nothing when `text` is not such a list (an empty item, "6xx", "40", "4XX0"...). Items are
  // trimmed; "4XX" is "4xx".
  static std::optional<StatusFilter> parse(std::string_view text);

  bool admits(int status) const;

 private:
  struct Item {
    int low;
    int high;  // inclusive
  };
  std::vector<Item> items_;  // empty: every status
};

}  // namespace prm_mock
