#include "recur_platform.h"
