#pragma once
// Moved to engine/core (rule messages format times too).
#include "engine/core/time_format.hpp"
