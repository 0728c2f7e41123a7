#!/bin/sh
# The constraint transforms promise no heap allocation and no exceptions
# (mvc/transforms.h): their object files in libmvc_math.a must not reference
# malloc, operator new or the C++ throw machinery.
# Usage: transforms_no_heap.sh <nm> <libmvc_math.a>
nm="$1"; lib="$2"
"$nm" -C --undefined-only "$lib" | awk '
  /:$/ { member = $0; next }
  member ~ /transforms_/ && /malloc|calloc|realloc|operator new|__cxa_throw|__cxa_allocate_exception/ {
    print member " " $0; bad = 1
  }
  END { if (bad) { print "transforms reference the heap or throw"; exit 1 } print "ok" }'
