{
  "targets": [
    {
      "target_name": "alloc",
      "sources": ["alloc.cc"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "alloc_v8",
      "sources": ["v8pool.cc"],
      "cflags_cc": ["-std=c++20", "-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "alloc_exp",
      "sources": ["alloc.cc"],
      "defines": ["ALLOC_EXPERIMENTAL"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra"]
    }
  ]
}
