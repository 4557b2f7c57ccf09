#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace keel::reference::sqlite {

class Connection;

/// A cached prepared statement borrowed for one use. Destruction resets it
/// and clears its bindings so the next borrower starts clean.
class Statement {
public:
  Statement(sqlite3_stmt* stmt, Connection& connection) : stmt_(stmt), connection_(&connection) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Indices are 1-based, as in SQLite. Text and blobs are copied.
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_blob(int index, std::string_view value);
  Statement& bind_int(int index, std::int64_t value);
  Statement& bind_double(int index, double value);
  Statement& bind_null(int index);

  /// Advances; true while a row is available.
  bool step();
  /// Steps to completion (for statements that return no rows).
  void run();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::string column_blob(int column) const;

private:
  sqlite3_stmt* stmt_;
  Connection* connection_;
};

/// One SQLite connection with a cache of persistent prepared statements.
/// Not thread-safe: a Pool hands it to one thread at a time.
class Connection {
public:
  explicit Connection(const std::filesystem::path& file);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Runs one or more statements without results (DDL, pragmas, BEGIN...).
  void exec(const char* sql);
  /// The cached statement for `sql`; `sql` must be a string literal or
  /// otherwise outlive the connection, since it keys the cache.
  Statement prepare(const char* sql);
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const;

  [[noreturn]] void fail(int code, std::string_view during) const;

private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() is reached.
/// IMMEDIATE takes the write lock up front, so two writers wait on
/// busy_timeout instead of deadlocking on a read-to-write upgrade.
class Transaction {
public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

private:
  Connection& connection_;
  bool open_ = true;
};

/// A small pool of connections to one database file. Connections are opened
/// on demand and kept up to `max_idle` for reuse.
class Pool {
public:
  Pool(std::filesystem::path file, std::size_t max_idle);

  class Lease {
  public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

  private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  Lease acquire();

private:
  std::filesystem::path file_;
  std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

} // namespace keel::reference::sqlite
