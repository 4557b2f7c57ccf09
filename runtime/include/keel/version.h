#pragma once

/// Bumped whenever the contract between generated code and libkeel changes;
/// every generated file static_asserts the value it was generated for.
#define KEEL_RUNTIME_VERSION 1
