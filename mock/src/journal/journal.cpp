#include "journal/journal.hpp"

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
    // Queued under the same lock so the file's line order is the journal's order.
    if (file_) file_->append(entry);
    if (options_.limit == 0) {
      ++dropped_;
      return;
    }
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
  const std::lock_guard lock(mutex_);
  cleared.swap(entries_);
  held_bytes_ = 0;
  total_ = 0;
  dropped_ = 0;
}

// file_ is set once at construction, so these need not take the journal lock; the writer guards
// itself. Closing outside the lock means requests still arriving are not held up by the disk.
void Journal::close() {
  if (file_) file_->close();
}

std::uint64_t Journal::failed_file_writes() const { return file_ ? file_->failed_writes() : 0; }

}  // namespace prm_mock
