{
  "targets": [
    {
      "target_name": "pipefork_fork",
      "sources": ["fork.cc", "dontfork.cc"],
      "cflags_cc": ["-Wall", "-Wextra", "<!@(node ../../scripts/gyp-flags.js cflags)"],
      "ldflags": ["<!@(node ../../scripts/gyp-flags.js ldflags)"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
