#include "sut/mock/job_store.h"

#include <sqlite3.h>

#include <map>
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
       " cmd_owned INTEGER NOT NULL, last_progress INTEGER NOT NULL)");
  exec("CREATE TABLE IF NOT EXISTS files(job INTEGER NOT NULL, idx INTEGER NOT NULL, done INTEGER NOT NULL,"
       " owed INTEGER NOT NULL, PRIMARY KEY(job, idx)) WITHOUT ROWID");
  exec("CREATE TABLE IF NOT EXISTS machine(id INTEGER PRIMARY KEY CHECK(id = 1), state TEXT NOT NULL)");
  upsertJob_ = prepare(
      "INSERT OR REPLACE INTO jobs(id, generation, owner, state, flags, clsid, program, params, armed,"
      " cmd_owned, last_progress) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  upsertFile_ = prepare("INSERT OR REPLACE INTO files(job, idx, done, owed) VALUES(?,?,?,?)");
  trimFiles_ = prepare("DELETE FROM files WHERE job = ? AND idx >= ?");
  saveMachine_ = prepare("INSERT OR REPLACE INTO machine(id, state) VALUES(1, ?)");
}

JobStore::~JobStore() {
  if (inTx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  for (sqlite3_stmt* s : {upsertJob_, upsertFile_, trimFiles_, saveMachine_}) sqlite3_finalize(s);
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

void JobStore::begin() {
  if (inTx_) return;
  exec("BEGIN");
  inTx_ = true;
}

void JobStore::commit() {
  if (!inTx_) return;
  exec("COMMIT");
  inTx_ = false;
}

static void step(sqlite3* db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(std::string("JobStore: step: ") + sqlite3_errmsg(db));
}

void JobStore::saveJob(const JobRecord& j) {
  {
    Reset r{upsertJob_};
    int64_t v[] = {j.id, j.generation, j.owner, static_cast<int64_t>(j.state), j.flags,
                   static_cast<int64_t>(j.clsid), static_cast<int64_t>(j.program),
                   static_cast<int64_t>(j.params), j.armed, j.cmdOwned, static_cast<int64_t>(j.lastProgress)};
    for (int i = 0; i < 11; ++i) sqlite3_bind_int64(upsertJob_, i + 1, v[i]);
    step(db_, upsertJob_);
  }
  {
    Reset r{trimFiles_};
    sqlite3_bind_int64(trimFiles_, 1, j.id);
    sqlite3_bind_int64(trimFiles_, 2, static_cast<int64_t>(j.files.size()));
    step(db_, trimFiles_);
  }
  for (size_t i = 0; i < j.files.size(); ++i) {
    Reset r{upsertFile_};
    sqlite3_bind_int64(upsertFile_, 1, j.id);
    sqlite3_bind_int64(upsertFile_, 2, static_cast<int64_t>(i));
    sqlite3_bind_int(upsertFile_, 3, j.files[i].done);
    sqlite3_bind_int(upsertFile_, 4, j.files[i].owed);
    step(db_, upsertFile_);
  }
}

std::vector<JobRecord> JobStore::loadJobs() const {
  std::vector<JobRecord> jobs;
  std::map<int64_t, size_t> index;
  sqlite3_stmt* s = prepare(
      "SELECT id, generation, owner, state, flags, clsid, program, params, armed, cmd_owned, last_progress"
      " FROM jobs ORDER BY id");
  while (sqlite3_step(s) == SQLITE_ROW) {
    JobRecord j;
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
    j.lastProgress = static_cast<uint64_t>(sqlite3_column_int64(s, 10));
    index[j.id] = jobs.size();
    jobs.push_back(std::move(j));
  }
  sqlite3_finalize(s);
  // The primary key orders files by (job, idx): one sequential scan fills every job.
  s = prepare("SELECT job, idx, done, owed FROM files ORDER BY job, idx");
  JobRecord* cur = nullptr;
  int64_t curId = -1;
  while (sqlite3_step(s) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(s, 0);
    if (id != curId) {
      auto it = index.find(id);
      cur = it == index.end() ? nullptr : &jobs[it->second];
      curId = id;
    }
    if (!cur) continue;
    size_t idx = static_cast<size_t>(sqlite3_column_int64(s, 1));
    if (cur->files.size() <= idx) cur->files.resize(idx + 1);
    cur->files[idx] = FileRecord{sqlite3_column_int(s, 2) != 0, sqlite3_column_int(s, 3) != 0};
  }
  sqlite3_finalize(s);
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
