#include "sut/mock/job_store.h"

#include <sqlite3.h>

#include <stdexcept>

namespace bc::mock {

namespace {
// Statements are reset at scope exit, so an exception never leaves one half-stepped.
struct Reset {
  sqlite3_stmt* s;
  ~Reset() { sqlite3_reset(s); }
};
}  // namespace

JobStore::JobStore(const std::string& path) : durable_(!path.empty()) {
  int rc = sqlite3_open_v2(durable_ ? path.c_str() : ":memory:", &db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("JobStore: cannot open '" + path + "': " + msg);
  }
  if (durable_) {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
  } else {
    exec("PRAGMA journal_mode=MEMORY");
    exec("PRAGMA synchronous=OFF");
  }
  exec("CREATE TABLE IF NOT EXISTS jobs(id INTEGER PRIMARY KEY, generation INTEGER NOT NULL,"
       " owner INTEGER NOT NULL, state INTEGER NOT NULL, flags INTEGER NOT NULL, clsid INTEGER NOT NULL,"
       " program INTEGER NOT NULL, params INTEGER NOT NULL, armed INTEGER NOT NULL,"
       " cmd_owned INTEGER NOT NULL, no_progress_since INTEGER)");
  exec("CREATE TABLE IF NOT EXISTS files(job INTEGER NOT NULL, idx INTEGER NOT NULL, done INTEGER NOT NULL,"
       " owed INTEGER NOT NULL, announced INTEGER NOT NULL, PRIMARY KEY(job, idx)) WITHOUT ROWID");
  exec("CREATE TABLE IF NOT EXISTS machine(id INTEGER PRIMARY KEY CHECK(id = 1), state TEXT NOT NULL)");
  upsertJob_ = prepare(
      "INSERT OR REPLACE INTO jobs(id, generation, owner, state, flags, clsid, program, params, armed,"
      " cmd_owned, no_progress_since) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  upsertFile_ = prepare("INSERT OR REPLACE INTO files(job, idx, done, owed, announced) VALUES(?,?,?,?,?)");
  trimFiles_ = prepare("DELETE FROM files WHERE job = ? AND idx >= ?");
  saveMachine_ = prepare("INSERT OR REPLACE INTO machine(id, state) VALUES(1, ?)");
  clear_[0] = prepare("DELETE FROM files");
  clear_[1] = prepare("DELETE FROM jobs");
  clear_[2] = prepare("DELETE FROM machine");
  begin_ = prepare("BEGIN");
  commit_ = prepare("COMMIT");
  loadJobs_ = prepare(
      "SELECT id, generation, owner, state, flags, clsid, program, params, armed, cmd_owned, no_progress_since"
      " FROM jobs ORDER BY id");
  // The primary key orders files by (job, idx): one sequential scan fills every job.
  loadFiles_ = prepare("SELECT job, idx, done, owed, announced FROM files ORDER BY job, idx");
  allKnown_ = !durable_;  // a new in-memory database is empty
}

JobStore::~JobStore() {
  if (inTx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  for (sqlite3_stmt* s : {upsertJob_, upsertFile_, trimFiles_, saveMachine_, clear_[0], clear_[1], clear_[2], begin_,
                          commit_, loadJobs_, loadFiles_})
    sqlite3_finalize(s);
  sqlite3_close(db_);
}

void JobStore::exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(std::string("JobStore: ") + sql + ": " + msg);
  }
}

sqlite3_stmt* JobStore::prepare(const char* sql) const {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("JobStore: prepare ") + sql + ": " + sqlite3_errmsg(db_));
  return s;
}

static void step(sqlite3* db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(std::string("JobStore: step: ") + sqlite3_errmsg(db));
}

void JobStore::begin() {
  if (inTx_) return;
  Reset r{begin_};
  step(db_, begin_);
  inTx_ = true;
}

void JobStore::commit() {
  if (!inTx_) return;
  try {
    Reset r{commit_};
    step(db_, commit_);
  } catch (...) {
    savedFiles_.clear();  // what the file holds is no longer known
    allKnown_ = false;
    throw;
  }
  inTx_ = false;
}

void JobStore::saveJob(const JobRecord& j) {
  {
    Reset r{upsertJob_};
    int64_t v[] = {j.id, j.generation, j.owner, static_cast<int64_t>(j.state), j.flags,
                   static_cast<int64_t>(j.clsid), static_cast<int64_t>(j.program),
                   static_cast<int64_t>(j.params), j.armed, j.cmdOwned};
    for (int i = 0; i < 10; ++i) sqlite3_bind_int64(upsertJob_, i + 1, v[i]);
    if (j.noProgressSince) sqlite3_bind_int64(upsertJob_, 11, static_cast<int64_t>(*j.noProgressSince));
    else sqlite3_bind_null(upsertJob_, 11);
    step(db_, upsertJob_);
  }
  // Only the file rows that changed; all of them while unknown (never written or loaded here).
  auto [known, fresh] = savedFiles_.try_emplace(j.id);
  std::vector<FileRecord>& before = known->second;  // empty when fresh
  const bool unknown = fresh && !allKnown_;         // else a fresh job has no rows yet
  try {
    if (unknown || before.size() > j.files.size()) {
      Reset r{trimFiles_};
      sqlite3_bind_int64(trimFiles_, 1, j.id);
      sqlite3_bind_int64(trimFiles_, 2, static_cast<int64_t>(j.files.size()));
      step(db_, trimFiles_);
    }
    for (size_t i = 0; i < j.files.size(); ++i) {
      if (!unknown && i < before.size() && before[i] == j.files[i]) continue;
      Reset r{upsertFile_};
      sqlite3_bind_int64(upsertFile_, 1, j.id);
      sqlite3_bind_int64(upsertFile_, 2, static_cast<int64_t>(i));
      sqlite3_bind_int(upsertFile_, 3, j.files[i].done);
      sqlite3_bind_int(upsertFile_, 4, j.files[i].owed);
      sqlite3_bind_int(upsertFile_, 5, j.files[i].announced);
      step(db_, upsertFile_);
      ++fileRowsWritten_;
    }
  } catch (...) {
    savedFiles_.erase(j.id);  // unknown again
    allKnown_ = false;
    throw;
  }
  before = j.files;
}

void JobStore::clear() {
  if (inTx_) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    inTx_ = false;
  }
  savedFiles_.clear();
  allKnown_ = false;
  for (sqlite3_stmt* s : clear_) {
    Reset r{s};
    step(db_, s);
  }
  allKnown_ = true;
}

std::vector<JobRecord> JobStore::loadJobs() {
  std::vector<JobRecord> jobs;
  {
    sqlite3_stmt* s = loadJobs_;
    Reset r{s};
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      JobRecord& j = jobs.emplace_back();
      j.id = static_cast<JobId>(sqlite3_column_int64(s, 0));
      j.generation = static_cast<uint32_t>(sqlite3_column_int64(s, 1));
      j.owner = static_cast<AppId>(sqlite3_column_int64(s, 2));
      j.state = static_cast<JobState>(sqlite3_column_int64(s, 3));
      j.flags = static_cast<uint32_t>(sqlite3_column_int64(s, 4));
      j.clsid = static_cast<ClassId>(sqlite3_column_int64(s, 5));
      j.program = static_cast<Program>(sqlite3_column_int64(s, 6));
      j.params = static_cast<Params>(sqlite3_column_int64(s, 7));
      j.armed = sqlite3_column_int64(s, 8) != 0;
      j.cmdOwned = sqlite3_column_int64(s, 9) != 0;
      if (sqlite3_column_type(s, 10) != SQLITE_NULL)
        j.noProgressSince = static_cast<uint64_t>(sqlite3_column_int64(s, 10));
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("JobStore: load jobs: ") + sqlite3_errmsg(db_));
  }
  {
    // Both scans ascend by job id: a merge, no lookup. Rows of a job without a job row are skipped.
    sqlite3_stmt* s = loadFiles_;
    Reset r{s};
    auto cur = jobs.begin();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      int64_t id = sqlite3_column_int64(s, 0);
      while (cur != jobs.end() && cur->id < id) ++cur;
      if (cur == jobs.end() || cur->id != id) continue;
      size_t idx = static_cast<size_t>(sqlite3_column_int64(s, 1));
      if (cur->files.size() <= idx) cur->files.resize(idx + 1);
      cur->files[idx] = FileRecord{sqlite3_column_int(s, 2) != 0, sqlite3_column_int(s, 3) != 0,
                                   sqlite3_column_int(s, 4) != 0};
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("JobStore: load files: ") + sqlite3_errmsg(db_));
  }
  // Every file row belongs to a job row (saveJob writes both in one transaction): all known.
  savedFiles_.clear();
  savedFiles_.reserve(jobs.size());
  for (const JobRecord& j : jobs) savedFiles_.emplace(j.id, j.files);
  allKnown_ = true;
  return jobs;
}

void JobStore::saveMachine(const std::string& blob) {
  Reset r{saveMachine_};
  sqlite3_bind_text(saveMachine_, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  step(db_, saveMachine_);
}

std::optional<std::string> JobStore::loadMachine() const {
  sqlite3_stmt* s = prepare("SELECT state FROM machine WHERE id = 1");
  std::optional<std::string> out;
  if (sqlite3_step(s) == SQLITE_ROW)
    out = std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                      static_cast<size_t>(sqlite3_column_bytes(s, 0)));
  sqlite3_finalize(s);
  return out;
}

std::string JobStore::integrityCheck() const {
  sqlite3_stmt* s = prepare("PRAGMA integrity_check");
  std::string out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    if (!out.empty()) out += "\n";
    out += reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return out;
}

}  // namespace bc::mock
