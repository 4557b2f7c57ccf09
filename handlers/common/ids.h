#pragma once

#include <string>
#include <string_view>

namespace keel::reference {

/// `prefix` + 26 lowercase RFC 4648 base32 characters (130 random bits) from
/// the OS CSPRNG, e.g. "ds_k3v...": unguessable, so ids leak nothing.
std::string random_id(std::string_view prefix);

/// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

/// Current UTC time as RFC 3339 with milliseconds ("2025-01-02T03:04:05.678Z").
/// Milliseconds keep created_at sorting meaningful for quick successive writes.
std::string now_rfc3339();

} // namespace keel::reference
