{
  "targets": [
    {
      "target_name": "pipefork_fork",
      "sources": ["fork.cc", "dontfork.cc"],
      "cflags_cc!": ["-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
