#include "journal/journal.hpp"

#include <algorithm>

namespace prm_mock {

Journal::Journal(JournalOptions options)
    : options_(std::move(options)),
      file_(options_.file_path.empty() ? nullptr
                                       : std::make_unique<JournalFileWriter>(options_.file_path)) {}

Journal::~Journal() { close(); }

void Journal::record(ExchangeRecord exchange) {
  // All the work (redaction, serialisation) happens before the lock.
  std::shared_ptr<const JournalEntry> entry =
      make_journal_entry(std::move(exchange), options_.body_text_limit);
  std::vector<std::shared_ptr<const JournalEntry>> evicted;  // freed after the lock is released
  {
    const std::lock_guard lock(mutex_);
    ++total_;
    ++next_sequence_;
    // Queued under the same lock so the file's line order is the journal's order.
    if (file_) file_->append(entry);
    if (options_.limit == 0) {
      ++dropped_;
    } else {
      held_bytes_ += entry->footprint_bytes;
      entries_.push_back(std::move(entry));
      const auto over_bound = [this] {
        return entries_.size() > options_.limit ||
               (options_.max_bytes != 0 && held_bytes_ > options_.max_bytes && entries_.size() > 1);
      };
      while (over_bound()) {
        held_bytes_ -= entries_.front()->footprint_bytes;
        evicted.push_back(std::move(entries_.front()));
        entries_.pop_front();
        ++dropped_;
      }
    }
  }
  if (on_change_) on_change_();
}

std::uint64_t Journal::total() const {
  const std::lock_guard lock(mutex_);
  return total_;
}

std::uint64_t Journal::dropped() const {
  const std::lock_guard lock(mutex_);
  return dropped_;
}

std::size_t Journal::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t Journal::held_bytes() const {
  const std::lock_guard lock(mutex_);
  return held_bytes_;
}

std::vector<std::shared_ptr<const JournalEntry>> Journal::snapshot() const {
  const std::lock_guard lock(mutex_);
  return {entries_.begin(), entries_.end()};
}

std::shared_ptr<const JournalEntry> Journal::find(std::string_view id) const {
  const std::lock_guard lock(mutex_);
  // Newest first: the entry asked about is usually a recent one.
  for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) {
    if ((*entry)->id == id) return *entry;
  }
  return nullptr;
}

JournalListing Journal::list(const JournalQuery& query) const {
  std::vector<std::shared_ptr<const JournalEntry>> held;
  std::uint64_t total = 0;
  std::uint64_t dropped = 0;
  {
    const std::lock_guard lock(mutex_);
    held.assign(entries_.begin(), entries_.end());
    total = total_;
    dropped = dropped_;
  }
  JournalListing listing = select_entries(held, query);
  listing.total = total;
  listing.dropped = dropped;
  return listing;
}

void Journal::clear() {
  std::deque<std::shared_ptr<const JournalEntry>> cleared;  // freed after the lock is released
  {
    const std::lock_guard lock(mutex_);
    cleared.swap(entries_);
    held_bytes_ = 0;
    total_ = 0;
    dropped_ = 0;
    ++clears_;
    cleared_through_ = next_sequence_ - 1;
  }
  if (on_change_) on_change_();
}

JournalCursor Journal::cursor_at_newest() const {
  const std::lock_guard lock(mutex_);
  return {next_sequence_ - 1, clears_};
}

std::optional<JournalCursor> Journal::cursor_before(const std::string& since) const {
  std::vector<std::shared_ptr<const JournalEntry>> held;
  std::uint64_t oldest = 0;  // the sequence number of held.front()
  std::uint64_t clears = 0;
  {
    const std::lock_guard lock(mutex_);
    held.assign(entries_.begin(), entries_.end());
    oldest = next_sequence_ - entries_.size();
    clears = clears_;
  }
  const auto start = since_start_index(held, since);
  if (!start) return std::nullopt;
  return JournalCursor{oldest + *start - 1, clears};
}

JournalTail Journal::read_after(JournalCursor cursor, std::size_t max) const {
  JournalTail tail;
  const std::lock_guard lock(mutex_);
  tail.clears = clears_;
  if (cursor.clears != clears_) {
    // What was cleared is gone for every reader: skipped, but not counted as left out.
    tail.cleared = true;
    cursor.after = std::max(cursor.after, cleared_through_);
  }
  const std::uint64_t newest = next_sequence_ - 1;
  const std::uint64_t after = std::min(cursor.after, newest);
  const std::uint64_t oldest_held = next_sequence_ - entries_.size();
  const std::uint64_t wanted = std::min<std::uint64_t>(newest - after, max);
  const std::uint64_t first = std::max(newest - wanted + 1, oldest_held);
  tail.skipped = first - after - 1;
  tail.first_sequence = first;
  for (std::uint64_t sequence = first; sequence <= newest; ++sequence) {
    tail.entries.push_back(entries_[static_cast<std::size_t>(sequence - oldest_held)]);
  }
  return tail;
}

// file_ is set once at construction, so these need not take the journal lock; the writer guards
// itself. Closing outside the lock means requests still arriving are not held up by the disk.
void Journal::close() {
  if (file_) file_->close();
}

std::uint64_t Journal::failed_file_writes() const { return file_ ? file_->failed_writes() : 0; }

}  // namespace prm_mock
