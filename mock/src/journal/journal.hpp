#pragma once
// The request journal: every exchange on the API path, bounded in memory and
// optionally appended to a JSON-lines file, so a test in any language can ask what was sent.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
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
  // record of the run.
  void clear();

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
  const std::unique_ptr<JournalFileWriter> file_;  // null without a file
};

}  // namespace prm_mock
