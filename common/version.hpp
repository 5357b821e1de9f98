#pragma once

namespace mig {
constexpr const char* kVersion = "0.1.0";
}
