// job_store.h: the service's on-disk store, on SQLite (jobs, files, the machine's own state).
//
// Durable mode: a real file, journal_mode=WAL, synchronous=FULL; commit() returns only when the
// transaction is on disk, so every write acknowledged after commit() survives a kill -9.
// Fast mode (property testing): an in-memory database, synchronous=OFF; the same SQL, but
// nothing survives the process (the Machine owns the store, so a service restart still works).
// A job's file rows are written only when they differ from what this store last wrote or read
// (it remembers each job's files), so re-saving a job whose state changed costs one row.
// Not thread-safe; throws std::runtime_error on any SQLite error.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sut/mock/job_record.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bc::mock {

class JobStore {
 public:
  // path "" = fast in-memory mode; otherwise the durable file (created if missing).
  explicit JobStore(const std::string& path);
  ~JobStore();
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  bool durable() const { return durable_; }
  void begin();
  void commit();
  void saveJob(const JobRecord& job);        // insert or replace, files included
  std::vector<JobRecord> loadJobs();         // ascending id
  void clear();                              // an empty store again (for reuse; rolls back)
  void saveMachine(const std::string& blob);  // the Machine's serialized state
  std::optional<std::string> loadMachine() const;
  std::string integrityCheck() const;        // "ok" when PRAGMA integrity_check is clean
  uint64_t fileRowsWritten() const { return fileRowsWritten_; }  // for tests and benchmarks

 private:
  void exec(const char* sql) const;
  sqlite3_stmt* prepare(const char* sql) const;

  sqlite3* db_ = nullptr;
  bool durable_ = false;
  bool inTx_ = false;
  sqlite3_stmt* upsertJob_ = nullptr;
  sqlite3_stmt* upsertFile_ = nullptr;
  sqlite3_stmt* trimFiles_ = nullptr;
  sqlite3_stmt* saveMachine_ = nullptr;
  sqlite3_stmt* clear_[3] = {};
  sqlite3_stmt* begin_ = nullptr;  // prepared once: a restart or a command parses no SQL
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* loadJobs_ = nullptr;
  sqlite3_stmt* loadFiles_ = nullptr;
  // Each job's file rows as committed or about to be. A job absent from it has no rows when
  // allKnown_ (a new or emptied in-memory store, or after loadJobs), else unknown rows (all are
  // written, after a trim).
  std::unordered_map<JobId, std::vector<FileRecord>> savedFiles_;
  bool allKnown_ = false;
  uint64_t fileRowsWritten_ = 0;
};

}  // namespace bc::mock
