#pragma once
// The request journal: every exchange on the API path, bounded in memory and
// optionally appended to a JSON-lines file, so a test in any language can ask what was sent.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journal/exchange_record.hpp"
#include "journal/journal_entry.hpp"
#include "journal/journal_file_writer.hpp"
#include "journal/journal_query.hpp"

namespace prm_mock {

struct JournalOptions {
  std::size_t limit = 10000;   // entries held in memory; the oldest is dropped past it (0: none)
  std::string file_path = {};  // when set, every entry is also appended there as one JSON line
  std::size_t body_text_limit = 64 * 1024;  // bytes of an unparsed body kept (and flagged if cut)
  // Memory the held entries may take (JournalEntry::footprint_bytes); the oldest are dropped past
  // it, but the newest entry is always kept. 0: no byte bound, only `limit`.
  std::size_t max_bytes = 256 * 1024 * 1024;
};

// Where a reader of the journal as it grows (the admin API's event stream) stands: after the entry
// with sequence number `after` (0: before the first), having seen `clears` calls of clear().
struct JournalCursor {
  std::uint64_t after = 0;
  std::uint64_t clears = 0;
};

// What a reader gets from Journal::read_after.
struct JournalTail {
  bool cleared = false;  // clear() ran since the cursor's count; the cleared entries are skipped
  // Entries after the cursor (and after the last clear) not in `entries`: no longer held, or
  // older than the newest `max` asked for.
  std::uint64_t skipped = 0;
  std::vector<std::shared_ptr<const JournalEntry>> entries;  // oldest first
  std::uint64_t first_sequence = 0;  // of entries.front(); when empty, one past the newest
  std::uint64_t clears = 0;          // clear() calls so far
};

class Journal {
 public:
  // Throws std::runtime_error naming the path when options.file_path cannot be opened.
  explicit Journal(JournalOptions options);
  ~Journal();  // close()
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Redacts and serialises on the calling thread, then appends under a short lock. Thread-safe.
  void record(ExchangeRecord exchange);

  std::uint64_t total() const;     // recorded since construction or the last clear()
  std::uint64_t dropped() const;   // dropped for the bound since construction or the last clear()
  std::size_t size() const;        // held now
  std::size_t held_bytes() const;  // their footprint (JournalEntry::footprint_bytes)

  std::vector<std::shared_ptr<const JournalEntry>> snapshot() const;  // oldest first
  JournalListing list(const JournalQuery& query) const;
  // The held entry with this id (its X-Request-Id); null when none is held.
  std::shared_ptr<const JournalEntry> find(std::string_view id) const;

  // Empties the memory journal and resets the counters. The file keeps its lines: it is the full
  // record of the run. Sequence numbers are not reset.
  void clear();

  // Every entry gets a sequence number when recorded: 1, 2, 3... from construction, never reset
  // (clear() empties the memory but the numbering goes on) and never reused, so a reader can
  // say "after N". Held entries have consecutive numbers, the newest last.
  // Where a reader that starts now stands: after the newest entry.
  JournalCursor cursor_at_newest() const;
  // Where a reader that wants the held entries after `since` stands (`since` as JournalQuery's:
  // an entry id, or an RFC 3339 timestamp, for the first entry received at or after it); nothing
  // when `since` is neither a timestamp nor the id of a held entry.
  std::optional<JournalCursor> cursor_before(const std::string& since) const;
  // The newest `max` held entries after `cursor` (after the last clear when the cursor has not
  // seen it), and how many entries after it are left out.
  JournalTail read_after(JournalCursor cursor, std::size_t max) const;
  // Called after each record() and clear(), outside the lock, on the thread that made the
  // change; it must be quick. Set before the journal is shared between threads.
  void set_change_listener(std::function<void()> listener) { on_change_ = std::move(listener); }

  // Writes every queued line to the file and closes it; later entries are kept in memory only.
  void close();

  // Entries whose file line could not be written (e.g. disk full).
  std::uint64_t failed_file_writes() const;

 private:
  const JournalOptions options_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const JournalEntry>> entries_;
  std::uint64_t total_ = 0;
  std::uint64_t dropped_ = 0;
  std::size_t held_bytes_ = 0;
  std::uint64_t next_sequence_ = 1;    // of the next entry recorded
  std::uint64_t clears_ = 0;           // clear() calls
  std::uint64_t cleared_through_ = 0;  // the newest sequence number at the last clear()
  std::function<void()> on_change_;
  const std::unique_ptr<JournalFileWriter> file_;  // null without a file
};

}  // namespace prm_mock
